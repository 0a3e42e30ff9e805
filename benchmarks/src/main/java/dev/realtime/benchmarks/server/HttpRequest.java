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

package dev.realtime.benchmarks.server;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The head of an HTTP request: a WebSocket upgrade or a control command.
 *
 * @param method the method
 * @param path the path, without the query
 * @param query the query parameters, decoded
 * @param headers the headers, names in lower case
 */
record HttpRequest(String method, String path, Map<String, String> query, Map<String, String> headers) {

	static HttpRequest parse(String head) {
		String[] lines = head.split("\r\n");
		String[] requestLine = lines[0].split(" ");
		if (requestLine.length < 2) {
			throw new IllegalArgumentException("Not an HTTP request: " + lines[0]);
		}
		String target = requestLine[1];
		int question = target.indexOf('?');
		String path = (question >= 0) ? target.substring(0, question) : target;
		Map<String, String> query = new LinkedHashMap<>();
		if (question >= 0) {
			for (String pair : target.substring(question + 1).split("&")) {
				if (!pair.isEmpty()) {
					int equals = pair.indexOf('=');
					String name = (equals >= 0) ? pair.substring(0, equals) : pair;
					String value = (equals >= 0) ? pair.substring(equals + 1) : "";
					query.put(decode(name), decode(value));
				}
			}
		}
		Map<String, String> headers = new LinkedHashMap<>();
		for (int i = 1; i < lines.length; i++) {
			int colon = lines[i].indexOf(':');
			if (colon > 0) {
				headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
						lines[i].substring(colon + 1).trim());
			}
		}
		return new HttpRequest(requestLine[0], path, query, headers);
	}

	private static String decode(String value) {
		return URLDecoder.decode(value, StandardCharsets.UTF_8);
	}

	boolean isWebSocketUpgrade() {
		return "websocket".equalsIgnoreCase(this.headers.get("upgrade"));
	}

	@Nullable String header(String name) {
		return this.headers.get(name);
	}

}
