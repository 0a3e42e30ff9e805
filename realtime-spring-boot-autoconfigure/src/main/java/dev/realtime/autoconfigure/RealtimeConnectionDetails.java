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

package dev.realtime.autoconfigure;

import java.net.URI;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;
import org.springframework.boot.ssl.SslBundle;

/**
 * Details required to connect to a realtime server: where it is and the credentials to
 * present. Timeouts and retries are configured with {@link RealtimeProperties}.
 *
 * @author Realtime team
 */
public interface RealtimeConnectionDetails extends ConnectionDetails {

	/**
	 * WebSocket URL of the server.
	 * @return the URL, with a {@code ws} or {@code wss} scheme
	 */
	URI getUrl();

	/**
	 * API key to authenticate with, used in preference to the {@link #getToken() token}.
	 * @return the API key or {@code null}
	 */
	default @Nullable String getKey() {
		return null;
	}

	/**
	 * Access token to authenticate with.
	 * @return the access token or {@code null}
	 */
	default @Nullable String getToken() {
		return null;
	}

	/**
	 * Client id to connect as.
	 * @return the client id or {@code null}
	 */
	default @Nullable String getClientId() {
		return null;
	}

	/**
	 * SSL bundle for {@code wss://} connections: its trust store decides which servers
	 * are trusted, and its key, if it has one, is the client certificate. When there is
	 * one, {@code realtime.ssl.bundle} is not used.
	 * @return the SSL bundle or {@code null} for {@code realtime.ssl.bundle} or, without
	 * it, the JVM's default trust
	 */
	default @Nullable SslBundle getSslBundle() {
		return null;
	}

}
