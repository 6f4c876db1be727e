import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * Prints "partition word" for each word on stdin, as Kafka's default partitioner places a String key
 * (murmur2 of the UTF-8 bytes), which is how the word-count repartition topic spreads words.
 * Usage: java -cp "target/lib/*" bench/floor/Partitions.java PARTITIONS < words.txt
 */
public class Partitions {
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        StringBuilder out = new StringBuilder();
        for (String w; (w = in.readLine()) != null; ) {
            if (!w.isEmpty()) {
                out.append(Utils.toPositive(Utils.murmur2(w.getBytes(StandardCharsets.UTF_8))) % n).append(' ').append(w).append('\n');
            }
        }
        System.out.print(out);
    }
}
