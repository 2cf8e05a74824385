package dev.freshet.adapter;

import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkManager;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/** Runs tasks as {@link Work} on the container's work manager, so the engine never creates a thread itself. */
final class WorkManagerExecutor implements Executor {
    private final WorkManager workManager;
    private final String purpose;

    WorkManagerExecutor(WorkManager workManager, String purpose) {
        this.workManager = workManager;
        this.purpose = purpose;
    }

    @Override
    public void execute(Runnable task) {
        try {
            workManager.scheduleWork(new Work() {
                @Override
                public void run() {
                    task.run();
                }

                @Override
                public void release() {
                    // the engine's own close() ends long-running tasks; short ones finish by themselves
                }

                @Override
                public String toString() {
                    return "freshet " + purpose;
                }
            }, WorkManager.INDEFINITE, null, null);
        } catch (WorkException e) {
            throw new RejectedExecutionException("the work manager refused a freshet " + purpose + " task: "
                    + e.getMessage(), e);
        }
    }
}
