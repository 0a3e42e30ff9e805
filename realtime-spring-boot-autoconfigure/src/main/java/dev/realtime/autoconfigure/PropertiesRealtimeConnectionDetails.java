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
import org.springframework.util.StringUtils;

/**
 * Adapts the {@link RealtimeConnectionProperties} of a connection, those of
 * {@code realtime.*} or of a named connection, to {@link RealtimeConnectionDetails}. An
 * empty key, token or client id is none, so that a named connection can drop one that it
 * would inherit.
 *
 * @author Realtime team
 */
class PropertiesRealtimeConnectionDetails implements RealtimeConnectionDetails {

	private final ConnectionProperties connection;

	private final RealtimeConnectionProperties properties;

	PropertiesRealtimeConnectionDetails(ConnectionProperties connection) {
		this.connection = connection;
		this.properties = connection.get();
	}

	@Override
	public URI getUrl() {
		URI url = this.properties.getUrl();
		if (url == null) {
			throw new MissingRealtimeUrlException(this.connection.propertyName("url"));
		}
		if (!"ws".equalsIgnoreCase(url.getScheme()) && !"wss".equalsIgnoreCase(url.getScheme())) {
			throw new InvalidConfigurationPropertyValueException(this.connection.propertyName("url"),
					RealtimeClientOptions.redact(url), "The URL must start with ws:// or wss://.");
		}
		return url;
	}

	@Override
	public @Nullable String getKey() {
		return noneIfEmpty(this.properties.getKey());
	}

	@Override
	public @Nullable String getToken() {
		return noneIfEmpty(this.properties.getToken());
	}

	@Override
	public @Nullable String getClientId() {
		return noneIfEmpty(this.properties.getClientId());
	}

	private static @Nullable String noneIfEmpty(@Nullable String value) {
		return StringUtils.hasLength(value) ? value : null;
	}

}
