package ai.sentx.lambda;

import ai.sentx.application.SweepExpiredHolds;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The scheduled hold sweeper (template.yaml: {@code HoldSweeperFunction}, every 5 minutes):
 * releases the holds of requests that died between hold and settlement, so their money is
 * available again ({@link SweepExpiredHolds} on the DynamoDB ledger). Stateless apart from the
 * wiring, which is built once per execution environment.
 */
public final class HoldSweeperHandler implements RequestHandler<ScheduledEvent, Map<String, Object>> {
    private final SweepExpiredHolds sweep;

    /** The constructor Lambda calls: wires the DynamoDB ledger from the environment. */
    public HoldSweeperHandler() {
        this(wire(AwsWiring.configFromEnvironment()));
    }

    /** @param sweep the use case to run on each invocation */
    public HoldSweeperHandler(SweepExpiredHolds sweep) {
        this.sweep = Objects.requireNonNull(sweep, "sweep");
    }

    /**
     * Sweeps once.
     *
     * @param event   the schedule's event; only its id is used, for the log
     * @param context the invocation's context, for its logger
     * @return {@code {"released": n, "millis": t}}
     */
    @Override
    public Map<String, Object> handleRequest(ScheduledEvent event, Context context) {
        long started = System.nanoTime();
        int released = sweep.sweep();
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (context != null && context.getLogger() != null) {
            context.getLogger().log("hold sweep " + (event == null ? "" : event.getId()) + ": released " + released
                    + " expired holds in " + millis + " ms");
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("released", released);
        result.put("millis", millis);
        return result;
    }

    private static SweepExpiredHolds wire(AwsConfig config) {
        return AwsWiring.sweepExpiredHolds(config, AwsWiring.dynamoDb(config), Clock.systemUTC());
    }
}
