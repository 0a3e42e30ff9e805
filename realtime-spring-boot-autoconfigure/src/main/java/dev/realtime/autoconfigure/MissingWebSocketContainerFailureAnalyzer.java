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

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@link MissingWebSocketContainerException}: the realtime client is enabled,
 * but nothing on the classpath can open a WebSocket, typically because the starter's
 * Tomcat WebSocket client was excluded.
 *
 * @author Realtime team
 */
class MissingWebSocketContainerFailureAnalyzer extends AbstractFailureAnalyzer<MissingWebSocketContainerException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, MissingWebSocketContainerException cause) {
		return new FailureAnalysis(
				"The realtime client is enabled but there is no JSR-356 WebSocket client container on the classpath, "
						+ "so it cannot open a connection.",
				"Add the dependency org.apache.tomcat.embed:tomcat-embed-websocket (realtime-spring-boot-starter "
						+ "brings it unless it is excluded), or define a WebSocketClient or TransportFactory bean, "
						+ "or set 'realtime.enabled=false' to disable the realtime client.",
				cause);
	}

}
