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

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.realtime.client.ConnectionState;
import dev.realtime.client.ConnectionStateChangedEvent;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.event.EventListener;

/**
 * Records the connection state events an application receives.
 */
@TestConfiguration(proxyBeanMethods = false)
class EventRecorder {

	private final List<ConnectionStateChangedEvent> received = new CopyOnWriteArrayList<>();

	@EventListener
	void record(ConnectionStateChangedEvent event) {
		this.received.add(event);
	}

	List<ConnectionStateChangedEvent> received() {
		return this.received;
	}

	List<ConnectionState> states() {
		return this.received.stream().map(ConnectionStateChangedEvent::getCurrent).toList();
	}

}
