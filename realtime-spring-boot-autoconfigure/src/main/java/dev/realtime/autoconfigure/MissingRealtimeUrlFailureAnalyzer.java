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
 * Explains a {@link MissingRealtimeUrlException}: the starter is on the classpath, so the
 * realtime client is enabled, but nothing says where to connect.
 *
 * @author Realtime team
 */
class MissingRealtimeUrlFailureAnalyzer extends AbstractFailureAnalyzer<MissingRealtimeUrlException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, MissingRealtimeUrlException cause) {
		String property = cause.getProperty();
		return new FailureAnalysis(
				"The realtime client is enabled but no server URL is configured, so it does not know where to connect.",
				"Set '" + property + "' to the WebSocket URL of the server (for example " + property
						+ "=ws://localhost:8080/), or set 'realtime.enabled=false' to disable the realtime client.",
				cause);
	}

}
