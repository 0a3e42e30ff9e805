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

import dev.realtime.client.RealtimeClientOptions;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Adapts {@link RealtimeProperties} to {@link RealtimeConnectionDetails}.
 *
 * @author Realtime team
 */
class PropertiesRealtimeConnectionDetails implements RealtimeConnectionDetails {

	private final RealtimeProperties properties;

	PropertiesRealtimeConnectionDetails(RealtimeProperties properties) {
		this.properties = properties;
	}

	@Override
	public URI getUrl() {
		URI url = this.properties.getUrl();
		if (url == null) {
			throw new MissingRealtimeUrlException();
		}
		if (!"ws".equalsIgnoreCase(url.getScheme()) && !"wss".equalsIgnoreCase(url.getScheme())) {
			throw new InvalidConfigurationPropertyValueException("realtime.url", RealtimeClientOptions.redact(url),
					"The URL must start with ws:// or wss://.");
		}
		return url;
	}

	@Override
	public @Nullable String getKey() {
		return this.properties.getKey();
	}

	@Override
	public @Nullable String getToken() {
		return this.properties.getToken();
	}

	@Override
	public @Nullable String getClientId() {
		return this.properties.getClientId();
	}

}
