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

import io.ably.lib.rest.Auth;
import io.ably.lib.types.ClientOptions;
import io.ably.lib.util.Log;

/**
 * Options for the official Ably Java SDK to reach an embedded server on loopback: token
 * auth (the SDK refuses a key over plain WebSocket), a static token or an
 * {@code authCallback}, JSON, no TLS, no fallback hosts.
 */
public final class AblyClientOptions {

	private AblyClientOptions() {
	}

	/**
	 * Return options that connect to the given server with the given token, without
	 * connecting on creation.
	 * @param server the embedded server
	 * @param token a token the server accepts
	 * @return the options
	 */
	public static ClientOptions forServer(RealtimeServer server, String token) {
		ClientOptions options = forServer(server);
		options.token = token;
		return options;
	}

	/**
	 * Return options that connect to the given server with tokens from the given
	 * callback, without connecting on creation.
	 * @param server the embedded server
	 * @param authCallback returns token strings the server accepts, such as those of
	 * {@link RealtimeServer#issueToken(java.time.Duration)}
	 * @return the options
	 */
	public static ClientOptions forServer(RealtimeServer server, Auth.TokenCallback authCallback) {
		ClientOptions options = forServer(server);
		options.authCallback = authCallback;
		return options;
	}

	private static ClientOptions forServer(RealtimeServer server) {
		ClientOptions options = new ClientOptions();
		options.realtimeHost = server.host();
		options.restHost = server.host();
		options.port = server.port();
		options.tls = false;
		options.useBinaryProtocol = false;
		options.autoConnect = false;
		options.environment = null;
		options.fallbackHosts = new String[0];
		options.disconnectedRetryTimeout = 500;
		options.realtimeRequestTimeout = 2000;
		options.logLevel = Log.WARN;
		return options;
	}

}
