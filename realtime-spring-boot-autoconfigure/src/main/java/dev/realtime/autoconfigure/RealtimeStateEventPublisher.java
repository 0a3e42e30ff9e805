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

import java.time.Clock;
import java.util.List;

import dev.realtime.client.ChannelStateChange;
import dev.realtime.client.ChannelStateChangedEvent;
import dev.realtime.client.ChannelStateListener;
import dev.realtime.client.ConnectionStateChange;
import dev.realtime.client.ConnectionStateChangedEvent;
import dev.realtime.client.ConnectionStateListener;
import dev.realtime.client.RealtimeClient;
import dev.realtime.client.SlowSubscriberEvent;
import dev.realtime.client.SlowSubscriberListener;
import dev.realtime.client.SlowSubscribers;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes every {@link ConnectionStateChange} of each {@link RealtimeClient} as a
 * {@link ConnectionStateChangedEvent}, and every {@link ChannelStateChange} of its
 * channels as a {@link ChannelStateChangedEvent}, and every channel whose subscribers
 * became slow as a {@link SlowSubscriberEvent}, in order, on the client's listener lane.
 * Each event's source is its client, and
 * {@link ConnectionStateChangedEvent#getConnectionName() getConnectionName()} tells the
 * connections apart.
 *
 * @author Realtime team
 */
class RealtimeStateEventPublisher implements InitializingBean, DisposableBean {

	private final List<ClientEvents> clients;

	RealtimeStateEventPublisher(List<RealtimeClient> clients, ApplicationEventPublisher eventPublisher, Clock clock) {
		this.clients = clients.stream().map((client) -> new ClientEvents(client, eventPublisher, clock)).toList();
	}

	@Override
	public void afterPropertiesSet() {
		this.clients.forEach(ClientEvents::listen);
	}

	@Override
	public void destroy() {
		this.clients.forEach(ClientEvents::stopListening);
	}

	/**
	 * Publishes the events of one client.
	 */
	private static final class ClientEvents
			implements ConnectionStateListener, ChannelStateListener, SlowSubscriberListener {

		private final RealtimeClient client;

		private final ApplicationEventPublisher eventPublisher;

		private final Clock clock;

		ClientEvents(RealtimeClient client, ApplicationEventPublisher eventPublisher, Clock clock) {
			this.client = client;
			this.eventPublisher = eventPublisher;
			this.clock = clock;
		}

		void listen() {
			this.client.connection().addListener(this);
			this.client.addChannelListener(this);
			this.client.addSlowSubscriberListener(this);
		}

		void stopListening() {
			this.client.removeSlowSubscriberListener(this);
			this.client.connection().removeListener(this);
			this.client.removeChannelListener(this);
		}

		@Override
		public void onStateChange(ConnectionStateChange change) {
			this.eventPublisher.publishEvent(new ConnectionStateChangedEvent(this.client, change, this.clock));
		}

		@Override
		public void onStateChange(ChannelStateChange change) {
			this.eventPublisher.publishEvent(new ChannelStateChangedEvent(this.client, change, this.clock));
		}

		@Override
		public void onSlowSubscribers(SlowSubscribers slow) {
			this.eventPublisher.publishEvent(new SlowSubscriberEvent(this.client, slow, this.clock));
		}

	}

}
