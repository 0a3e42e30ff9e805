/*
 * Copyright 2026 the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

package dev.realtime.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * An error reported by the server or raised by the client, as the Ably protocol describes
 * it: an error {@code code} (such as {@code 80003}), an HTTP-like {@code statusCode}
 * (such as {@code 408}), a human-readable {@code message}, and the error that caused it,
 * if any.
 *
 * @param code the error code
 * @param statusCode the HTTP-like status code
 * @param message the human-readable description
 * @param cause the error that caused this one, or {@code null}
 * @author Realtime team
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ErrorInfo(int code, int statusCode, String message, @Nullable ErrorInfo cause) {

	/** The connection is disconnected and will retry. */
	public static final int DISCONNECTED = 80003;

	/** The connection has been disconnected for too long and is suspended. */
	public static final int SUSPENDED = 80002;

	/** The connection has failed and will not retry. */
	public static final int FAILED = 80000;

	/** The connection was closed. */
	public static final int CLOSED = 80017;

	/** A request to the server timed out. */
	public static final int TIMEOUT = 50003;

	/** The previous connection could not be resumed; this is a new connection. */
	public static final int UNABLE_TO_RESUME = 80008;

	/** A token could not be obtained from the token provider [RSA4c]. */
	public static final int AUTH_FAILED = 80019;

	/** The token is no longer valid and the client has no means to renew it [RSA4a2]. */
	public static final int TOKEN_NOT_RENEWABLE = 40171;

	/**
	 * The operation needs a client id that the client does not have, or one that does not
	 * match its own.
	 */
	public static final int INVALID_CLIENT_ID = 40012;

	/** The operation is not possible in the channel's current state. */
	public static final int CHANNEL_OPERATION_FAILED = 90001;

	/** The client's presence members could not be entered again after an attach. */
	public static final int PRESENCE_REENTRY_FAILED = 91004;

	/** The presence set is out of sync: the channel is suspended. */
	public static final int PRESENCE_OUT_OF_SYNC = 91005;

	/**
	 * Create an error without a cause.
	 * @param code the error code
	 * @param statusCode the HTTP-like status code
	 * @param message the human-readable description
	 */
	public ErrorInfo(int code, int statusCode, String message) {
		this(code, statusCode, message, null);
	}

	/**
	 * Create an error for a connection that dropped and will retry.
	 * @param message the description of what happened
	 * @return the error
	 */
	public static ErrorInfo disconnected(String message) {
		return new ErrorInfo(DISCONNECTED, 503, message);
	}

	/**
	 * Create an error for a connection that went silent for longer than the idle timeout.
	 * @param message the description of what happened
	 * @return the error
	 */
	public static ErrorInfo idleTimeout(String message) {
		return new ErrorInfo(DISCONNECTED, 408, message);
	}

	/**
	 * Create an error for a connection that stayed disconnected for longer than the
	 * connection state TTL.
	 * @param message the description of what happened
	 * @return the error
	 */
	public static ErrorInfo suspended(String message) {
		return new ErrorInfo(SUSPENDED, 503, message);
	}

	/**
	 * Create an error for a connection that failed and will not retry.
	 * @param message the description of what happened
	 * @return the error
	 */
	public static ErrorInfo failed(String message) {
		return new ErrorInfo(FAILED, 500, message);
	}

	/**
	 * Create an error for an operation that cannot complete because the connection is
	 * closed.
	 * @param message the description of what happened
	 * @return the error
	 */
	public static ErrorInfo closed(String message) {
		return new ErrorInfo(CLOSED, 400, message);
	}

	/**
	 * Create an error for a request that got no answer in time.
	 * @param message the description of what happened
	 * @return the error
	 */
	public static ErrorInfo timeout(String message) {
		return new ErrorInfo(TIMEOUT, 504, message);
	}

	/**
	 * Return whether this is a token error ({@code 40140 <= code < 40150}, status 401),
	 * which a client may fix by renewing its token.
	 * @return whether this is a token error
	 */
	public boolean isTokenError() {
		return this.statusCode == 401 && this.code >= 40140 && this.code < 40150;
	}

	/**
	 * Return this error with the given cause.
	 * @param cause the cause
	 * @return a new error
	 */
	public ErrorInfo withCause(@Nullable ErrorInfo cause) {
		return new ErrorInfo(this.code, this.statusCode, this.message, cause);
	}

	@Override
	public String toString() {
		return "[" + this.code + "/" + this.statusCode + "] " + this.message
				+ ((this.cause != null) ? "; caused by " + this.cause : "");
	}

}
