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

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Records every connect request and rejects the upgrade with HTTP 503 while the server
 * refuses connections.
 *
 * @author Realtime team
 */
final class ConnectHandshakeInterceptor implements HandshakeInterceptor {

	private final ServerFaults faults;

	private final ServerStatistics statistics;

	ConnectHandshakeInterceptor(ServerFaults faults, ServerStatistics statistics) {
		this.faults = faults;
		this.statistics = statistics;
	}

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Map<String, Object> attributes) {
		Map<String, String> query = queryParameters(request);
		this.statistics.connectAttempt(query);
		if (this.faults.refuseConnections()) {
			this.statistics.refusedConnection();
			response.setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
			return false;
		}
		attributes.put(ConnectRequest.ATTRIBUTE, new ConnectRequest(query));
		return true;
	}

	@Override
	public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			@Nullable Exception exception) {
	}

	private static Map<String, String> queryParameters(ServerHttpRequest request) {
		Map<String, String> query = new LinkedHashMap<>();
		if (request instanceof ServletServerHttpRequest servletRequest) {
			servletRequest.getServletRequest().getParameterMap().forEach((name, values) -> {
				if (values.length > 0) {
					query.put(name, values[0]);
				}
			});
		}
		return query;
	}

}
