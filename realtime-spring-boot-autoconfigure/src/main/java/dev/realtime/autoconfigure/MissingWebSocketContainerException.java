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

/**
 * Thrown when the realtime client is enabled but there is no JSR-356 WebSocket client
 * container on the classpath to open its connections with, and the application defines no
 * {@link org.springframework.web.socket.client.WebSocketClient WebSocketClient} or
 * {@link dev.realtime.client.transport.TransportFactory TransportFactory} bean either.
 *
 * @author Realtime team
 * @see MissingWebSocketContainerFailureAnalyzer
 */
class MissingWebSocketContainerException extends IllegalStateException {

	MissingWebSocketContainerException() {
		super("The realtime client is enabled but there is no JSR-356 WebSocket client container on the classpath ("
				+ RealtimeAutoConfiguration.TOMCAT_WEB_SOCKET_CONTAINER + " not found)");
	}

}
