package dev.flotilla.scheduler.framework;

/** A score plugin with its weight in a profile. */
public record WeightedScore(ScorePlugin plugin, int weight) {
}
