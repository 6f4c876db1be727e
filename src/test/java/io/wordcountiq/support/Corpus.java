package io.wordcountiq.support;

import io.wordcountiq.streams.WordCountTopology;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** A reproducible text corpus and the counts computed from it independently of the service. */
public record Corpus(List<String> lines, Map<String, Long> counts) {

    public static Corpus random(long seed, int lines, int vocabulary, int wordsPerLine) {
        Random random = new Random(seed);
        List<String> out = new ArrayList<>(lines);
        Map<String, Long> counts = new TreeMap<>();
        for (int i = 0; i < lines; i++) {
            StringBuilder line = new StringBuilder();
            for (int w = 0; w < wordsPerLine; w++) {
                String word = "w" + random.nextInt(vocabulary);
                line.append(w == 0 ? "" : " ").append(word);
            }
            out.add(line.toString());
        }
        out.forEach(line -> WordCountTopology.words(line).forEach(w -> counts.merge(w, 1L, Long::sum)));
        return new Corpus(out, counts);
    }

    /** The "all" answer the service must give: [{"key":…,"value":…}] sorted by key. */
    public String allJson() {
        StringBuilder sb = new StringBuilder("[");
        counts.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append("{\"key\":\"").append(k).append("\",\"value\":").append(v).append('}'));
        return sb.append(']').toString();
    }

    /** The answer to a range from..to (both inclusive), in the stores' key order. */
    public String rangeJson(String from, String to) {
        StringBuilder sb = new StringBuilder("[");
        counts.forEach((k, v) -> {
            if (io.wordcountiq.model.KeyOrder.compare(k, from) >= 0 && io.wordcountiq.model.KeyOrder.compare(k, to) <= 0) {
                sb.append(sb.length() > 1 ? "," : "").append("{\"key\":\"").append(k).append("\",\"value\":").append(v)
                        .append('}');
            }
        });
        return sb.append(']').toString();
    }

    /** The answer to a key that was written. */
    public String keyJson(String key) {
        return "{\"key\":\"" + key + "\",\"value\":" + counts.get(key) + "}";
    }

    /** Posts the lines in batches (a batch refused with 503 is sent again, see {@link Http#postLines}). */
    public void postTo(String linesUrl, int batch) {
        for (int i = 0; i < lines.size(); i += batch) {
            Http.Reply r = Http.postLines(linesUrl, String.join("\n", lines.subList(i, Math.min(lines.size(), i + batch))));
            if (r.status() != 202) {
                throw new IllegalStateException("POST /lines answered " + r.status() + ": " + r.body());
            }
        }
    }
}
