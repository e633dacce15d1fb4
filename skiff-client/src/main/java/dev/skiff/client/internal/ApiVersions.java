package dev.skiff.client.internal;

import dev.skiff.protocol.message.ApiKeys;
import dev.skiff.protocol.message.ApiVersionsResponseData;

/**
 * The versions a broker advertised in its ApiVersions answer, and the negotiation rule: the highest
 * version both the broker and this client speak.
 */
public final class ApiVersions {
    private final short[] min;
    private final short[] max;

    private ApiVersions(short[] min, short[] max) {
        this.min = min;
        this.max = max;
    }

    /** The versions advertised in {@code response}. */
    public static ApiVersions from(ApiVersionsResponseData response) {
        int highest = 0;
        for (ApiVersionsResponseData.ApiVersion v : response.apiKeys()) {
            highest = Math.max(highest, v.apiKey());
        }
        final short[] min = new short[highest + 1];
        final short[] max = new short[highest + 1];
        java.util.Arrays.fill(max, (short) -1);
        for (ApiVersionsResponseData.ApiVersion v : response.apiKeys()) {
            if (v.apiKey() >= 0) {
                min[v.apiKey()] = v.minVersion();
                max[v.apiKey()] = v.maxVersion();
            }
        }
        return new ApiVersions(min, max);
    }

    /**
     * The highest version of {@code api} in both ranges, or -1 when they do not overlap.
     *
     * @param clientMin the oldest version this client can use
     * @param clientMax the newest version this client can use
     */
    public short negotiate(ApiKeys api, short clientMin, short clientMax) {
        final int id = api.id();
        if (id >= max.length || max[id] < 0) {
            return -1;
        }
        final short high = (short) Math.min(clientMax, max[id]);
        return high >= Math.max(clientMin, min[id]) ? high : -1;
    }

    /** The broker's advertised range as text, for error messages. */
    public String describe(ApiKeys api) {
        final int id = api.id();
        if (id >= max.length || max[id] < 0) {
            return "not supported";
        }
        return "versions " + min[id] + "-" + max[id];
    }

    /** The newest stable version this client's generated code knows for {@code api}. */
    public static short clientMax(ApiKeys api) {
        return api.latestVersionUnstable() ? (short) (api.latestVersion() - 1) : api.latestVersion();
    }
}
