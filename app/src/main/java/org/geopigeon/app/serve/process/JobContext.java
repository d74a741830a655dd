package org.geopigeon.app.serve.process;

/** Progress reporting and cancellation of one execution (a job's row, or nothing for synchronous runs). */
public interface JobContext {

    JobContext NONE = new JobContext() {
        @Override
        public void progress(int percent, String message) {
        }

        @Override
        public boolean isCancelled() {
            return false;
        }
    };

    /** @param percent 0..100 */
    void progress(int percent, String message);

    /** True once the job was dismissed: the process stops at its next stage. */
    boolean isCancelled();

    /** The job id recorded in the audit row, or null for a synchronous execution. */
    default String jobId() {
        return null;
    }
}
