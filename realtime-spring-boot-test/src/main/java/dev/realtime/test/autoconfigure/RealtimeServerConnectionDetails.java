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

package dev.realtime.test.autoconfigure;

import java.net.URI;

import dev.realtime.autoconfigure.RealtimeConnectionDetails;
import dev.realtime.test.server.RealtimeServer;
import org.jspecify.annotations.Nullable;

/**
 * {@link RealtimeConnectionDetails} of an embedded {@link RealtimeServer}: its URL and
 * the key it accepts.
 *
 * @author Realtime team
 */
final class RealtimeServerConnectionDetails implements RealtimeConnectionDetails {

	private final RealtimeServer server;

	private final String key;

	private final @Nullable String clientId;

	RealtimeServerConnectionDetails(RealtimeServer server, String key, @Nullable String clientId) {
		this.server = server;
		this.key = key;
		this.clientId = clientId;
	}

	@Override
	public URI getUrl() {
		return URI.create(this.server.url());
	}

	@Override
	public String getKey() {
		return this.key;
	}

	@Override
	public @Nullable String getClientId() {
		return this.clientId;
	}

	@Override
	public String toString() {
		return "RealtimeServerConnectionDetails[" + this.server + "]";
	}

}
