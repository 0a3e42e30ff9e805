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

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.NestedExceptionUtils;

/**
 * Where a connection's credentials come from: the key, a static token, or the tokens of a
 * {@link RealtimeTokenProvider}, fetched on a lane of their own (never on the actor),
 * bounded by the request timeout, and renewed ahead of their expiry [RSA4, RTC8].
 * Confined to the connection's actor, except the provider's own call.
 *
 * @author Realtime team
 */
final class Credentials {

	private static final Log logger = LogFactory.getLog(Credentials.class);

	private final @Nullable String key;

	private final @Nullable RealtimeTokenProvider provider;

	private final SerialExecutor providerLane;

	private final SerialExecutor actor;

	private final ActorTimers timers;

	private final Clock wallClock;

	private final Duration requestTimeout;

	/** The token of the next attempt: the static one, or the provider's latest. */
	private @Nullable RealtimeToken token;

	/** Identifies the fetch under way, so that a late answer is ignored. */
	private long fetches;

	/** Whether a fetch is under way. */
	private boolean fetching;

	/**
	 * Create the credentials of a connection.
	 * @param options the key and the static token
	 * @param provider the token provider, or {@code null}
	 * @param providerLane where the provider is called
	 * @param actor the connection's actor, where results are handed over
	 * @param timers timers for fetch timeouts and renewals
	 * @param wallClock the clock that token expiry times are read against
	 */
	Credentials(RealtimeClientOptions options, @Nullable RealtimeTokenProvider provider, SerialExecutor providerLane,
			SerialExecutor actor, ActorTimers timers, Clock wallClock) {
		this.key = options.key();
		this.provider = provider;
		this.providerLane = providerLane;
		this.actor = actor;
		this.timers = timers;
		this.wallClock = wallClock;
		this.requestTimeout = options.requestTimeout();
		this.token = (provider == null && options.token() != null) ? new RealtimeToken(options.token(), null) : null;
	}

	/**
	 * Return whether a token that the server rejects can be replaced [RSA4a, RSA4b].
	 * @return whether there is a provider
	 */
	boolean canRenew() {
		return this.provider != null;
	}

	/**
	 * Return whether the next attempt needs a token from the provider first: there is
	 * none yet, it was rejected, or it expires within the request timeout.
	 * @return whether to fetch one
	 */
	boolean needsToken() {
		RealtimeToken token = this.token;
		return this.provider != null && (token == null || (token.expires() != null
				&& !this.wallClock.instant().plus(this.requestTimeout).isBefore(token.expires())));
	}

	/**
	 * Return the access token for the connect URI, unless a key is used.
	 * @return the token, or {@code null}
	 */
	@Nullable String accessToken() {
		return (this.key == null && this.token != null) ? this.token.token() : null;
	}

	/**
	 * Forget the current token: the server said it is no longer valid.
	 */
	void invalidate() {
		if (this.provider != null) {
			this.token = null;
		}
	}

	/**
	 * Ask the provider for a token, off the actor and bounded by the request timeout.
	 * Exactly one of the callbacks runs, on the actor, unless {@link #cancel()} is called
	 * first.
	 * @param onToken called with the token, which is then the current one
	 * @param onFailure called with error {@code 80019} and the cause [RSA4c]
	 */
	void fetch(Consumer<RealtimeToken> onToken, Consumer<ErrorInfo> onFailure) {
		RealtimeTokenProvider provider = this.provider;
		if (provider == null) {
			onFailure.accept(new ErrorInfo(ErrorInfo.AUTH_FAILED, 401, "No token provider to renew the token"));
			return;
		}
		long fetch = ++this.fetches;
		this.fetching = true;
		this.timers.cancelAll();
		this.timers.schedule(this.requestTimeout, () -> {
			if (fetch == this.fetches) {
				this.fetches++;
				this.fetching = false;
				onFailure.accept(new ErrorInfo(ErrorInfo.AUTH_FAILED, 401,
						"The token provider did not answer within " + this.requestTimeout.toMillis() + " ms"));
			}
		});
		this.providerLane.execute(() -> {
			RealtimeToken token = null;
			ErrorInfo failure = null;
			try {
				token = provider.fetchToken();
				if (token == null) {
					failure = new ErrorInfo(ErrorInfo.AUTH_FAILED, 401, "The token provider returned no token");
				}
			}
			catch (Exception ex) {
				failure = providerFailure(ex);
			}
			RealtimeToken fetched = token;
			ErrorInfo error = failure;
			this.actor.execute(() -> {
				if (fetch != this.fetches) {
					logger.debug("Ignoring a token that came after its fetch was abandoned");
					return;
				}
				this.fetches++;
				this.fetching = false;
				this.timers.cancelAll();
				if (fetched != null) {
					this.token = fetched;
					onToken.accept(fetched);
				}
				else {
					onFailure.accept(error);
				}
			});
		});
	}

	private static ErrorInfo providerFailure(Exception ex) {
		Throwable cause = NestedExceptionUtils.getMostSpecificCause(ex);
		ErrorInfo reason = (cause instanceof RealtimeException realtime) ? realtime.getErrorInfo()
				: new ErrorInfo(ErrorInfo.AUTH_FAILED, 401, String.valueOf(cause.getMessage()));
		// [RSA4d]: a refusal (403) is final
		int statusCode = (reason.statusCode() == 403) ? 403 : 401;
		return new ErrorInfo(ErrorInfo.AUTH_FAILED, statusCode,
				"The token provider failed: " + cause.getClass().getSimpleName() + ": " + cause.getMessage(), reason);
	}

	/**
	 * Return whether a fetch is under way.
	 * @return whether the provider was asked and has not answered yet
	 */
	boolean isFetching() {
		return this.fetching;
	}

	/**
	 * Abandon the fetch under way, if any, and the scheduled renewal.
	 */
	void cancel() {
		this.fetches++;
		this.fetching = false;
		this.timers.cancelAll();
	}

	/**
	 * Return how long until the current token should be renewed: a request timeout before
	 * it expires.
	 * @return the delay, or {@code null} if the token does not say when it expires
	 */
	@Nullable Duration untilRenewal() {
		RealtimeToken token = this.token;
		if (this.provider == null || token == null || token.expires() == null) {
			return null;
		}
		Instant renewAt = token.expires().minus(this.requestTimeout);
		Duration delay = Duration.between(this.wallClock.instant(), renewAt);
		return delay.isNegative() ? Duration.between(this.wallClock.instant(), token.expires()).dividedBy(2) : delay;
	}

	/**
	 * Schedule a task when the current token should be renewed, if it says when it
	 * expires.
	 * @param renewal the task, run on the actor
	 */
	void scheduleRenewal(Runnable renewal) {
		Duration delay = untilRenewal();
		if (delay != null && !this.fetching) {
			this.timers.cancelAll(); // one renewal at a time
			this.timers.schedule(delay, renewal);
		}
	}

	/**
	 * Return the secrets that must never appear in a log or an error.
	 * @return the key and the current token, each possibly {@code null}
	 */
	@Nullable String[] secrets() {
		return new @Nullable String[] { this.key, (this.token != null) ? this.token.token() : null };
	}

}
