package dev.flotilla.apiserver.http;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Map;

/** Turns an {@link ApiResponse} into a Netty response with the headers every API response carries. */
final class HttpResponses {

    private HttpResponses() {
    }

    /** The body array is wrapped, not copied (bodies are built per response; a list can be megabytes). */
    static FullHttpResponse toNetty(ApiResponse response, ByteBufAllocator alloc, boolean keepAlive) {
        FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(response.code()), Unpooled.wrappedBuffer(response.body()));
        out.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
        out.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.body().length);
        out.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache, private");
        out.headers().set("X-Content-Type-Options", "nosniff");
        for (Map.Entry<String, String> header : response.headers().entrySet()) {
            out.headers().set(header.getKey(), header.getValue());
        }
        if (!keepAlive) {
            out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return out;
    }
}
