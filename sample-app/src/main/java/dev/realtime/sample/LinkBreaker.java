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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import dev.realtime.client.ConnectionState;
import dev.realtime.client.ErrorInfo;
import dev.realtime.client.RealtimeClient;
import dev.realtime.client.RealtimeConnection;
import dev.realtime.test.server.RealtimeServer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Breaks the link to the embedded server every {@code sample.chaos.interval}, a different
 * way each time, so the connection can be watched recovering.
 *
 * @author Realtime team
 */
@Component
@ConditionalOnBean(RealtimeServer.class)
@ConditionalOnBooleanProperty("sample.chaos.enabled")
class LinkBreaker {

	private static final Log logger = LogFactory.getLog(LinkBreaker.class);

	private final RealtimeServer server;

	private final RealtimeConnection connection;

	private final List<Fault> faults = List.of(new Fault("drop every connection", RealtimeServer::dropAllConnections),
			new Fault("send DISCONNECTED", (server) -> server.sendDisconnected(ErrorInfo.disconnected("chaos"))),
			new Fault("go silent (the idle timeout must notice)", RealtimeServer::freeze),
			new Fault("restart, losing every session", RealtimeServer::restart));

	private final AtomicInteger next = new AtomicInteger();

	LinkBreaker(RealtimeServer server, RealtimeClient client) {
		this.server = server;
		this.connection = client.connection();
	}

	@Scheduled(initialDelayString = "${sample.chaos.interval:10s}", fixedDelayString = "${sample.chaos.interval:10s}")
	void breakTheLink() {
		if (this.connection.state() != ConnectionState.CONNECTED) {
			return; // still recovering from the previous fault
		}
		this.server.unfreeze();
		Fault fault = this.faults.get(this.next.getAndIncrement() % this.faults.size());
		logger.info("Chaos: " + fault.description());
		fault.action().accept(this.server);
	}

	private record Fault(String description, Consumer<RealtimeServer> action) {

	}

}
