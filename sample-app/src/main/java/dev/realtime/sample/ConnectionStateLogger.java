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

package dev.realtime.sample;

import dev.realtime.client.ConnectionStateChangedEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Logs every change of the state of a realtime connection, with the name of the
 * connection.
 *
 * @author Realtime team
 */
@Component
class ConnectionStateLogger {

	private static final Log logger = LogFactory.getLog(ConnectionStateLogger.class);

	@EventListener
	void onConnectionStateChanged(ConnectionStateChangedEvent event) {
		StringBuilder message = new StringBuilder("Connection '").append(event.getConnectionName())
			.append("' ")
			.append(event.getPrevious())
			.append(" -> ")
			.append(event.getCurrent());
		if (event.getReason() != null) {
			message.append(" because ").append(event.getReason());
		}
		if (event.getRetryIn() != null) {
			message.append(", next attempt in ").append(event.getRetryIn().toMillis()).append(" ms");
		}
		logger.info(message);
	}

}
