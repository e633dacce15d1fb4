package dev.skiff.broker.internal.handler;

import dev.skiff.broker.internal.ApiHandler;
import dev.skiff.broker.internal.VersionedHandler;
import dev.skiff.broker.internal.ApiRegistry;
import dev.skiff.broker.internal.network.RequestContext;
import dev.skiff.protocol.Errors;
import dev.skiff.protocol.message.ApiKeys;
import dev.skiff.protocol.message.ApiVersionsRequestData;
import dev.skiff.protocol.message.ApiVersionsResponseData;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * ApiVersions (key 18), versions 0-5.
 *
 * <p>Lists every API this broker serves with the version range it serves. A client asking with a
 * version newer than ours gets a v0 answer with UNSUPPORTED_VERSION and the full list, so it can
 * retry with a version we know (KIP-511). v3+ requests carry the client's software name and version,
 * which must match {@code [a-zA-Z0-9](?:[a-zA-Z0-9\-.]*[a-zA-Z0-9])?} or get INVALID_REQUEST.
 */
public final class ApiVersionsHandler extends VersionedHandler {
    private static final java.util.regex.Pattern SOFTWARE =
            java.util.regex.Pattern.compile("[a-zA-Z0-9](?:[a-zA-Z0-9\\-.]*[a-zA-Z0-9])?");

    private final Supplier<ApiRegistry> registry;

    public ApiVersionsHandler(Supplier<ApiRegistry> registry) {
        super(ApiKeys.API_VERSIONS, 0, 5);
        this.registry = registry;
    }

    @Override
    public void handle(RequestContext request) {
        final ApiVersionsResponseData response = new ApiVersionsResponseData().setApiKeys(apiList());
        if (!request.hasBody()) {
            request.respond(response.setErrorCode(Errors.UNSUPPORTED_VERSION.code()));
            return;
        }
        if (request.version() >= 3) {
            final ApiVersionsRequestData body = (ApiVersionsRequestData) request.body();
            if (!validSoftware(body.clientSoftwareName()) || !validSoftware(body.clientSoftwareVersion())) {
                request.respond(response.setErrorCode(Errors.INVALID_REQUEST.code()));
                return;
            }
        }
        request.respond(response.setErrorCode(Errors.NONE.code()));
    }

    private static boolean validSoftware(String s) {
        return s != null && SOFTWARE.matcher(s).matches();
    }

    private List<ApiVersionsResponseData.ApiVersion> apiList() {
        final List<ApiVersionsResponseData.ApiVersion> list = new ArrayList<>();
        for (ApiHandler h : registry.get().handlers()) {
            list.add(new ApiVersionsResponseData.ApiVersion()
                    .setApiKey(h.apiKey().id())
                    .setMinVersion(h.oldestVersion())
                    .setMaxVersion(h.latestVersion()));
        }
        return list;
    }
}
