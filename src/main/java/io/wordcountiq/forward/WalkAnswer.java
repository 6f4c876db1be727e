package io.wordcountiq.forward;

import io.wordcountiq.forward.ForwardWalk.Result;
import io.wordcountiq.forward.ForwardWalk.Tried;
import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.QueryResult;
import io.wordcountiq.model.QueryResult.Failed;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What the client gets when a walk ends: the answer that settled it, else the stale answer kept, else an error
 * that says why no holder answered (503, or 504 when every host asked only timed out) and lists each host tried.
 */
public final class WalkAnswer {

    private WalkAnswer() {
    }

    /** @param unreachable the hosts this instance cannot reach now (host:port); asked only when no holder was known */
    static QueryResult of(ForwardWalk walk, Supplier<Set<String>> unreachable) {
        if (walk.lastResort() != null) {
            return walk.lastResort();
        }
        List<Tried> tried = walk.tried();
        Map<String, Object> details = Map.of("tried", tried.stream().map(WalkAnswer::describe).toList());
        if (!walk.everHadRecipients()) {
            Set<String> down = unreachable.get();
            return down.isEmpty()
                    ? new Failed(new ApiError(503, "no other instance hosts this store right now", 1, details))
                    : new Failed(new ApiError(503, "no instance holding this key can be reached from this instance right "
                            + "now", 1, Map.of("tried", List.of(), "unreachable", down)));
        }
        if (tried.isEmpty()) {
            return new Failed(new ApiError(503, "request deadline passed before any instance was asked", 1, details));
        }
        boolean timeouts = walk.anyTried(Result.TIMEOUT);
        boolean answered = walk.anyTried(Result.UNAVAILABLE) || walk.anyTried(Result.NOT_FOUND)
                || walk.anyTried(Result.NOT_HOSTED);
        if (timeouts && !answered) {
            return new Failed(new ApiError(504, "no instance answered in time", 1, details));
        }
        String unanswered = walk.request().token().isEmpty()
                ? "no copy of this key's partition could answer yet; its state is moving between instances"
                : "no copy of this key's partition could answer as fresh as X-IQ-Token asks yet (see each reason)";
        return new Failed(new ApiError(503, answered ? unanswered : "no instance holding this key could be reached", 1,
                details));
    }

    /** One host tried, as the client sees it in an error's "tried" list: {"host":…,"result":…[,"reason":…]}. */
    public static Map<String, String> describe(Tried tried) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("host", tried.host());
        out.put("result", tried.result().name().toLowerCase(Locale.ROOT));
        if (tried.reason() != null) {
            out.put("reason", tried.reason());
        }
        return out;
    }
}
