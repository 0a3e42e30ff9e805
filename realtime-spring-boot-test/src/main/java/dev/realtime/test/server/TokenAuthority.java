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

package dev.realtime.test.server;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.realtime.client.ErrorInfo;
import dev.realtime.client.RealtimeToken;
import org.jspecify.annotations.Nullable;

/**
 * Issues access tokens that expire, and decides whether the credentials a client presents
 * — on connecting or in an AUTH message — are accepted: a configured key or token (which
 * never expire), or a token issued here and not expired. Outlives the runs of its
 * {@link RealtimeServer}, as a token service outlives the servers that check its tokens.
 * Thread-safe.
 *
 * @author Realtime team
 */
final class TokenAuthority {

	/** How many issued tokens are remembered; older ones become unknown. */
	static final int ISSUED_TOKENS_LIMIT = 100_000;

	private static final ErrorInfo EXPIRED = new ErrorInfo(40142, 401, "Token expired");

	private final SecureRandom random = new SecureRandom();

	private final ServerSettings settings;

	private final Clock clock;

	/** Issued tokens by their token string, oldest first. Guarded by itself. */
	private final Map<String, IssuedToken> issued = new LinkedHashMap<>() {

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, IssuedToken> eldest) {
			return size() > ISSUED_TOKENS_LIMIT;
		}

	};

	TokenAuthority(ServerSettings settings, Clock clock) {
		this.settings = settings;
		this.clock = clock;
	}

	/**
	 * Issue a token that expires after the given time.
	 * @param ttl how long the token is valid
	 * @return the token and when it expires
	 */
	RealtimeToken issue(Duration ttl) {
		long expiresAt = System.nanoTime() + ttl.toNanos();
		Instant expires = this.clock.instant().plus(ttl);
		String token = "issued." + randomToken();
		synchronized (this.issued) {
			this.issued.put(token, new IssuedToken(expiresAt));
		}
		return new RealtimeToken(token, expires);
	}

	/**
	 * Treat every token issued so far as expired. Tokens issued afterwards are valid.
	 */
	void expireAll() {
		synchronized (this.issued) {
			this.issued.values().forEach(IssuedToken::revoke);
		}
	}

	/**
	 * Decide on the credentials of a connect request: a key, or else an access token.
	 * @param key the key, or {@code null}
	 * @param accessToken the access token, or {@code null}
	 * @return the verdict
	 */
	Verdict verifyConnect(@Nullable String key, @Nullable String accessToken) {
		if (key == null && accessToken != null) {
			Verdict verdict = verifyIssued(accessToken);
			if (verdict != null) {
				return verdict;
			}
		}
		if (this.settings.open() || this.settings.acceptsKey(key) || this.settings.acceptsToken(accessToken)) {
			return Verdict.ACCEPTED;
		}
		String problem = (key == null && accessToken == null) ? "No credentials given" : "Invalid credentials";
		return Verdict.rejected(new ErrorInfo(40101, 401, problem));
	}

	/**
	 * Decide on the access token of an AUTH message [RTC8a].
	 * @param accessToken the access token, or {@code null}
	 * @return the verdict
	 */
	Verdict verifyToken(@Nullable String accessToken) {
		if (accessToken == null || accessToken.isEmpty()) {
			return Verdict.rejected(new ErrorInfo(40101, 401, "No access token given"));
		}
		Verdict verdict = verifyIssued(accessToken);
		if (verdict != null) {
			return verdict;
		}
		if (this.settings.open() || this.settings.acceptsToken(accessToken)) {
			return Verdict.ACCEPTED;
		}
		return Verdict.rejected(new ErrorInfo(40101, 401, "Invalid token"));
	}

	private @Nullable Verdict verifyIssued(String accessToken) {
		IssuedToken token;
		synchronized (this.issued) {
			token = this.issued.get(accessToken);
		}
		if (token == null) {
			return null;
		}
		return token.isExpired() ? Verdict.rejected(EXPIRED) : new Verdict(null, token);
	}

	/**
	 * Return the error that a connection whose token expired is disconnected with.
	 * @return the error, {@code 40142}
	 */
	static ErrorInfo expired() {
		return EXPIRED;
	}

	private String randomToken() {
		byte[] bytes = new byte[18];
		this.random.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	/**
	 * A token issued by this authority.
	 */
	static final class IssuedToken {

		/** When the token expires, in {@link System#nanoTime()}. */
		private final long expiresAt;

		/** Whether the token was declared expired before its time. */
		private volatile boolean revoked;

		IssuedToken(long expiresAt) {
			this.expiresAt = expiresAt;
		}

		/**
		 * Return how long until the token expires.
		 * @return the time left, zero or negative once expired
		 */
		Duration timeLeft() {
			return this.revoked ? Duration.ZERO : Duration.ofNanos(this.expiresAt - System.nanoTime());
		}

		boolean isExpired() {
			return this.revoked || System.nanoTime() - this.expiresAt >= 0;
		}

		void revoke() {
			this.revoked = true;
		}

	}

	/**
	 * The outcome of checking credentials.
	 *
	 * @param rejection why the credentials are refused, or {@code null} if they are
	 * accepted
	 * @param token the issued token that was accepted, or {@code null} if the credentials
	 * do not expire (or were refused)
	 */
	record Verdict(@Nullable ErrorInfo rejection, @Nullable IssuedToken token) {

		static final Verdict ACCEPTED = new Verdict(null, null);

		static Verdict rejected(ErrorInfo rejection) {
			return new Verdict(rejection, null);
		}

	}

}
