package io.scoregen.gateway.api;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Body of {@code GET /v1/jobs/{id}/results}: a page of a job's result keys in their order (training's files, then each
 * shard's in shard order), with a download URL each where links are configured.
 *
 * @param items the page
 * @param total result keys in all
 * @param next the cursor of the next page; absent on the last
 */
public record ResultPage(List<Item> items, long total, Integer next) {

    /** A result object and where to download it (absent without an object store). */
    public record Item(String key, URI url) {}

    static ResultPage of(List<String> keys, int cursor, int limit, Function<String, URI> link) {
        int from = Math.min(cursor, keys.size());
        int to = Math.min(keys.size(), from + limit);
        List<Item> items = new ArrayList<>(to - from);
        for (String key : keys.subList(from, to)) {
            items.add(new Item(key, link.apply(key)));
        }
        return new ResultPage(List.copyOf(items), keys.size(), to < keys.size() ? to : null);
    }
}
