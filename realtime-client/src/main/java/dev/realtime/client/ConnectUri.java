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

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/**
 * The connect URI of a connection and the secrets it carries: builds the URI with its
 * query parameters, and removes those secrets from text that may quote it.
 *
 * @author Realtime team
 */
final class ConnectUri {

	/** The protocol version this client speaks. */
	static final int PROTOCOL_VERSION = 6;

	private static final String MASK = "******";

	private final RealtimeClientOptions options;

	ConnectUri(RealtimeClientOptions options) {
		this.options = options;
	}

	/**
	 * Build the URI of a connection attempt.
	 * @param resumeKey the key of the connection to resume, or {@code null} for a new one
	 * @param recoverKey the key of a connection to recover [RTN16k], or {@code null}
	 * @param accessToken the token to connect with when there is no key, or {@code null}
	 * @return the URI, with credentials: never log it
	 */
	URI build(@Nullable String resumeKey, @Nullable String recoverKey, @Nullable String accessToken) {
		UriComponentsBuilder uri = UriComponentsBuilder.fromUri(this.options.url());
		if (this.options.key() != null) {
			uri.queryParam("key", this.options.key());
		}
		else if (accessToken != null) {
			uri.queryParam("accessToken", accessToken);
		}
		uri.queryParam("v", PROTOCOL_VERSION).queryParam("format", "json").queryParam("heartbeats", true);
		if (this.options.clientId() != null) {
			uri.queryParam("clientId", this.options.clientId());
		}
		uri.queryParam("echo", this.options.echoMessages());
		if (resumeKey != null) {
			uri.queryParam("resume", resumeKey);
		}
		else if (recoverKey != null) {
			uri.queryParam("recover", recoverKey);
		}
		return uri.encode().build().toUri();
	}

	/**
	 * Remove secrets from a description that a transport or the network wrote, which may
	 * quote the connect URI: the configured key and token, and the given ones.
	 * @param description the description
	 * @param secrets more secrets, such as the connection key and the current token
	 * @return the description without secrets
	 */
	String withoutSecrets(String description, @Nullable String... secrets) {
		String result = description;
		List<@Nullable String> all = new ArrayList<>(Arrays.asList(secrets));
		all.add(this.options.key());
		all.add(this.options.token());
		for (String secret : all) {
			if (secret != null && !secret.isEmpty()) {
				result = result.replace(secret, MASK)
					.replace(UriUtils.encodeQueryParam(secret, StandardCharsets.UTF_8), MASK);
			}
		}
		return result;
	}

}
