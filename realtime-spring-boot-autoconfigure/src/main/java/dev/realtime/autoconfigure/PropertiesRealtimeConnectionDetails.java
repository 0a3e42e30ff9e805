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

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.web.util.UriComponentsBuilder;

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
			throw new InvalidConfigurationPropertyValueException("realtime.url", withoutCredentials(url),
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

	/**
	 * Return the URL without user info and query, either of which may hold a secret.
	 */
	private static String withoutCredentials(URI url) {
		if (url.isOpaque()) {
			String part = url.getRawSchemeSpecificPart();
			int query = part.indexOf('?');
			return url.getScheme() + ":" + ((query != -1) ? part.substring(0, query) : part);
		}
		return UriComponentsBuilder.fromUri(url).userInfo(null).replaceQuery(null).fragment(null).build().toUriString();
	}

}
