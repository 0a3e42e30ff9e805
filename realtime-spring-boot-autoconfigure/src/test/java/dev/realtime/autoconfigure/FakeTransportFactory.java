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

import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.realtime.client.protocol.Action;
import dev.realtime.client.protocol.ProtocolCodec;
import dev.realtime.client.protocol.ProtocolMessage;
import dev.realtime.client.transport.Transport;
import dev.realtime.client.transport.TransportFactory;
import dev.realtime.client.transport.TransportListener;

/**
 * A {@link TransportFactory} whose transports play a well-behaved server: every transport
 * opens at once and is accepted with {@code CONNECTED}; {@code HEARTBEAT} is answered
 * with {@code HEARTBEAT}, {@code ATTACH} with {@code ATTACHED} and {@code CLOSE} with
 * {@code CLOSED}.
 *
 * @author Realtime team
 */
class FakeTransportFactory implements TransportFactory {

	static final String CONNECTED = "{\"action\":4,\"connectionId\":\"c1\",\"connectionDetails\":"
			+ "{\"connectionKey\":\"k1\",\"maxIdleInterval\":15000,\"connectionStateTtl\":120000}}";

	private static final ProtocolCodec codec = new ProtocolCodec();

	private final List<URI> opened = new CopyOnWriteArrayList<>();

	private final List<Action> received = new CopyOnWriteArrayList<>();

	@Override
	public Transport open(URI uri, TransportListener listener) {
		this.opened.add(uri);
		listener.onOpen();
		listener.onFrame(CONNECTED);
		return new FakeTransport(listener);
	}

	/**
	 * Return the URIs transports were opened to, in order.
	 * @return the URIs
	 */
	List<URI> opened() {
		return this.opened;
	}

	/**
	 * Return the actions of the messages the client sent, in order.
	 * @return the actions
	 */
	List<Action> received() {
		return this.received;
	}

	private final class FakeTransport implements Transport {

		private final TransportListener listener;

		private volatile boolean closed;

		FakeTransport(TransportListener listener) {
			this.listener = listener;
		}

		@Override
		public boolean send(String frame) {
			if (this.closed) {
				return false;
			}
			ProtocolMessage message = codec.decode(frame);
			FakeTransportFactory.this.received.add(message.getAction());
			if (message.getAction() == Action.HEARTBEAT) {
				this.listener.onFrame(codec.encode(new ProtocolMessage(Action.HEARTBEAT).setId(message.getId())));
			}
			else if (message.getAction() == Action.ATTACH) {
				this.listener
					.onFrame(codec.encode(new ProtocolMessage(Action.ATTACHED).setChannel(message.getChannel())));
			}
			else if (message.getAction() == Action.CLOSE) {
				this.listener.onFrame(codec.encode(new ProtocolMessage(Action.CLOSED)));
			}
			return true;
		}

		@Override
		public void close() {
			this.closed = true;
		}

	}

}
