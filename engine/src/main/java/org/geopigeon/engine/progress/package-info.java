/**
 * Typed progress of long jobs: {@link org.geopigeon.engine.progress.PhaseListener}, parameterised by each job's
 * phase enum ({@code geocell.build.BuildPhase}, {@code train.TrainingPhase}, {@code eval.Evaluation.Phase}). The
 * engine reports; front ends decide how to show it (the CLI's progress bar and stderr lines, a log).
 */
package org.geopigeon.engine.progress;
