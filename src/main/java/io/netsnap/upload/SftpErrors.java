package io.netsnap.upload;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Path;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSchChangedHostKeyException;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.JSchUnknownHostKeyException;
import com.jcraft.jsch.SftpException;

/**
 * Reads the cause chain that Commons VFS wraps around JSch's exceptions and names the cause an operator acts on.
 * VFS reports every failure as a {@code FileSystemException} with a generic message; the SFTP status code or the
 * JSch message underneath is what tells a wrong password from a full disk.
 */
final class SftpErrors {

    private final String server;
    private final Path knownHosts;
    private final String user;

    SftpErrors(String server, Path knownHosts, String user) {
        this.server = server;
        this.knownHosts = knownHosts;
        this.user = user;
    }

    /**
     * @param what    the step, e.g. {@code write sftp://host/…/file.cfg.part}
     * @param writing whether the step was writing file data: OpenSSH's sftp-server answers a full disk (ENOSPC) or
     *                an exceeded quota with the generic {@code SSH_FX_FAILURE}, which on a write means exactly that
     */
    UploadException translate(String what, boolean writing, Exception e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            switch (cause) {
                case JSchChangedHostKeyException changed -> {
                    return changed(e);
                }
                case JSchUnknownHostKeyException unknown -> {
                    return unknown(e);
                }
                case SftpException sftp when sftp.id == ChannelSftp.SSH_FX_PERMISSION_DENIED -> {
                    return new UploadException.PermissionDenied("permission denied on " + server + " for user "
                            + user + ": cannot " + what, e);
                }
                case SftpException sftp when sftp.id == ChannelSftp.SSH_FX_FAILURE && writing -> {
                    return new UploadException.DiskFull(server + " could not store the data (disk full or quota"
                            + " exceeded): " + what, e);
                }
                case ConnectException c -> {
                    return unreachable(what, c, e);
                }
                case NoRouteToHostException c -> {
                    return unreachable(what, c, e);
                }
                case UnknownHostException c -> {
                    return unreachable(what, c, e);
                }
                case SocketTimeoutException c -> {
                    return unreachable(what, c, e);
                }
                case SocketException c -> {
                    return unreachable(what, c, e);
                }
                case JSchException jsch -> {
                    String message = String.valueOf(jsch.getMessage());
                    if (message.startsWith("Auth fail") || message.startsWith("Auth cancel")) {
                        return new UploadException.AuthFailed(server + " refused the login of user " + user
                                + " (wrong password or key, or unknown user)", e);
                    }
                    // under StrictHostKeyChecking=yes JSch throws plain JSchExceptions, told apart by message
                    if (message.startsWith("HostKey has been changed")) {
                        return changed(e);
                    }
                    if (message.startsWith("reject HostKey")) {
                        return unknown(e);
                    }
                    if (message.contains("timeout") || message.contains("Session.connect")
                            || message.contains("socket is not established")) {
                        return unreachable(what, jsch, e);
                    }
                }
                default -> {
                }
            }
        }
        return new UploadException.Failed("cannot " + what + " on " + server + ": " + describe(e), e);
    }

    private UploadException changed(Exception e) {
        return new UploadException.HostKeyMismatch("HOST KEY CHANGED for " + server + ": the key it presented is not"
                + " the one in " + knownHosts + "; refusing to upload", e);
    }

    private UploadException unknown(Exception e) {
        return new UploadException.HostKeyMismatch("the host key of " + server + " is not in " + knownHosts
                + "; add it there (verified out of band) before uploading", e);
    }

    private UploadException unreachable(String what, Throwable cause, Exception e) {
        return new UploadException.Unreachable("cannot reach " + server + " (" + cause.getClass().getSimpleName()
                + ": " + cause.getMessage() + ") to " + what, e);
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root + ")";
    }
}
