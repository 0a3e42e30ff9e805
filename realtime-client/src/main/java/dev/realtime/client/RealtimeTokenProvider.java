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

/**
 * Provides access tokens, like the {@code authCallback} of the Ably SDKs: called before
 * connecting, whenever the server says the token is no longer valid, when the server asks
 * the client to re-authenticate, and ahead of a token's expiry.
 * <p>
 * Called off the connection's own thread, on a lane of its own, so it may block (for
 * example to ask an authentication server); a call that throws, returns a blank token or
 * does not return within the request timeout fails with error {@code 80019} (its cause
 * attached), and the connection retries as it would after any failed attempt [RSA4c].
 *
 * @author Realtime team
 */
@FunctionalInterface
public interface RealtimeTokenProvider {

	/**
	 * Return a new token.
	 * @return the token
	 * @throws Exception if no token can be had
	 */
	RealtimeToken fetchToken() throws Exception;

}
