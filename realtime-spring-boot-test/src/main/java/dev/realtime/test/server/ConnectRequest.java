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

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The query parameters of one connect request, as the client sent them on the WebSocket
 * upgrade.
 *
 * @param params the query parameters, first value of each
 * @author Realtime team
 */
record ConnectRequest(Map<String, String> params) {

	/** The name of the WebSocket session attribute that holds the request. */
	static final String ATTRIBUTE = ConnectRequest.class.getName();

	ConnectRequest {
		params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
	}

	@Nullable String key() {
		return this.params.get("key");
	}

	@Nullable String accessToken() {
		return this.params.get("accessToken");
	}

	@Nullable String version() {
		return this.params.get("v");
	}

	@Nullable String format() {
		return this.params.get("format");
	}

	/**
	 * Return whether the client wants HEARTBEAT messages; it gets WebSocket ping frames
	 * instead only when it asked with {@code heartbeats=false}.
	 * @return whether to send HEARTBEAT messages
	 */
	boolean heartbeats() {
		return !"false".equalsIgnoreCase(this.params.get("heartbeats"));
	}

	/**
	 * Return whether the client wants the messages it publishes delivered back to it; it
	 * does not only when it asked with {@code echo=false}.
	 * @return whether to echo the client's own messages
	 */
	boolean echo() {
		return !"false".equalsIgnoreCase(this.params.get("echo"));
	}

	/**
	 * Return the key of the connection the client resumes ({@code resume}) or recovers
	 * ({@code recover}, from another client instance [RTN16k]); the server treats both
	 * alike.
	 * @return the connection key, or {@code null} for a new connection
	 */
	@Nullable String resume() {
		String resume = this.params.get("resume");
		if (resume == null || resume.isEmpty()) {
			resume = this.params.get("recover");
		}
		return (resume != null && !resume.isEmpty()) ? resume : null;
	}

	@Nullable String clientId() {
		String clientId = this.params.get("clientId");
		return (clientId != null && !clientId.isEmpty()) ? clientId : null;
	}

}
