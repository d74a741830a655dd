/**
 * The command line {@code ./geopigeon} (picocli): {@code GeoPigeonCli} and one class per command ({@code locate},
 * {@code inspect}, {@code geocells build}, {@code train}, {@code zeroshot}, {@code pretrain}, {@code evaluate},
 * {@code audit}, {@code token}, {@code serve}), with shared options as picocli mixins ({@code BundleOption},
 * {@code JdbcOption}, {@code PrecisionOption}, ...). A front end: commands parse options, call one engine pipeline or the
 * service ({@code AuditedLocate} -> {@code org.geopigeon.service.AuditedGeolocation}), and print (table or JSON Lines)
 * and show progress ({@code CliProgress}, {@code ProgressBar}). Exit code 1 when any input failed; every error is a
 * sentence naming the file and the problem.
 *
 * <p>Dependencies: this package -> {@code service} -> {@code engine}. The standalone HTTP service is {@code app.serve}.
 */
package org.geopigeon.app;
