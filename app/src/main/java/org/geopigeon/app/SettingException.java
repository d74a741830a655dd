package org.geopigeon.app;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * A setting outside the command line is invalid (an environment variable such as {@code GEOPIGEON_PRECISION}, or a
 * {@code -Dgeopigeon.*} property): exit code 2 as a usage error, but the message alone, one line naming the setting
 * and the values it takes, without the command's usage text (the command line itself was fine).
 * {@link GeoPigeonCli#commandLine()} prints it so.
 */
final class SettingException extends ParameterException {

    private static final long serialVersionUID = 1L;

    /**
     * @param cmd     the command being run
     * @param message names the setting (property and environment variable), the value given and the values allowed
     */
    SettingException(CommandLine cmd, String message) {
        super(cmd, message);
    }
}
