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

package dev.realtime.client;

import java.util.function.Consumer;

import dev.realtime.client.protocol.Action;
import dev.realtime.client.protocol.ProtocolMessage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Where each frame from the server goes. Every action has a deliberate handling: acted on
 * by the connection, routed to its channel, settled against what was sent, or ignored on
 * purpose; what reaches no handler (an unknown action [RTF1], an action only clients
 * send, a channel this client does not have) is ignored and counted. Confined to the
 * actor.
 *
 * @author Realtime team
 */
final class FrameRouter {

	private static final Log logger = LogFactory.getLog(FrameRouter.class);

	private final ConnectionFrames connection;

	private final ChannelRegistry channels;

	private final PendingPings pings;

	private final PublishQueue publishes;

	private final InboundFlow inbound;

	private final IgnoredFrames ignored;

	FrameRouter(ConnectionFrames connection, ChannelRegistry channels, PendingPings pings, PublishQueue publishes,
			InboundFlow inbound, IgnoredFrames ignored) {
		this.connection = connection;
		this.channels = channels;
		this.pings = pings;
		this.publishes = publishes;
		this.inbound = inbound;
		this.ignored = ignored;
	}

	/**
	 * Handle a frame from the server.
	 * @param message the frame
	 * @param size its size on the wire, in characters
	 */
	void route(ProtocolMessage message, int size) {
		Action action = message.getAction();
		if (action == null) {
			this.ignored.unhandled(message, "its action is unknown to this client [RTF1]");
			return;
		}
		switch (action) {
			case HEARTBEAT -> this.pings.onHeartbeat(message.getId());
			case ACK, NACK -> onAcknowledgement(message);
			case CONNECTED -> this.connection.onConnected(message);
			case DISCONNECTED -> this.connection.onDisconnected(message);
			case AUTH -> this.connection.onAuth(); // [RTN22]
			case CLOSED -> this.connection.onClosed();
			case ERROR -> onError(message);
			case ATTACHED -> toChannel(message, (channel) -> channel.onAttached(message));
			case DETACHED -> toChannel(message, (channel) -> channel.onDetached(message));
			case MESSAGE, PRESENCE, SYNC -> toSubscribers(message, action, size);
			case OBJECT, ANNOTATION -> toChannel(message, (channel) -> channel.onObjectOrAnnotation(message));
			case OBJECT_SYNC -> toChannel(message, (channel) -> channel.onObjectSync(message));
			case ACTIVATE -> logger.trace("Ignoring ACTIVATE"); // deprecated; no server
																// sends it
			case CONNECT, DISCONNECT, CLOSE, ATTACH, DETACH ->
				this.ignored.unhandled(message, "only clients send " + action);
		}
	}

	private void onError(ProtocolMessage message) {
		if (message.getChannel() != null) {
			toChannel(message, (channel) -> channel.onError(message)); // [RTL14]
		}
		else {
			this.connection.onError(message);
		}
	}

	/**
	 * Hand a frame for the subscribers to the channel it names, if this client has it,
	 * and stop reading if they are behind. The frames of every message come this way, and
	 * allocate no handler.
	 */
	private void toSubscribers(ProtocolMessage message, Action action, int size) {
		Channel channel = channelOf(message);
		if (channel == null) {
			return;
		}
		boolean behind = switch (action) {
			case MESSAGE -> channel.onMessage(message, size);
			case PRESENCE -> channel.onPresence(message, size);
			default -> channel.onSync(message, size);
		};
		pauseIfBehind(channel, behind);
	}

	/**
	 * Hand a frame to the channel it names, if this client has it.
	 */
	private void toChannel(ProtocolMessage message, Consumer<Channel> handler) {
		Channel channel = channelOf(message);
		if (channel != null) {
			handler.accept(channel);
		}
	}

	/**
	 * Return the channel a frame names, if this client has it; a frame without one is
	 * counted as malformed, and one for another channel as unhandled.
	 */
	private @Nullable Channel channelOf(ProtocolMessage message) {
		String name = message.getChannel();
		if (name == null) {
			this.ignored.malformed(message + " without a channel");
			return null;
		}
		Channel channel = this.channels.find(name);
		if (channel == null) {
			this.ignored.unhandled(message, "this client has no channel '" + name + "'");
		}
		return channel;
	}

	private void pauseIfBehind(Channel channel, boolean behind) {
		if (behind) {
			this.inbound.pauseFor(channel);
		}
	}

	/**
	 * Settle the messages an {@code ACK} or {@code NACK} covers: {@code count} messages
	 * (one if it says nothing) from {@code msgSerial} on [RTN7b]. One without a
	 * {@code msgSerial}, or that covers no message, settles nothing.
	 */
	private void onAcknowledgement(ProtocolMessage message) {
		Long msgSerial = message.getMsgSerial();
		int count = (message.getCount() != null) ? message.getCount() : 1;
		ErrorInfo error = (message.getError() != null) ? message.getError()
				: ErrorInfo.failed("The server refused the message");
		boolean settled = (msgSerial != null) && ((message.getAction() == Action.ACK)
				? this.publishes.onAck(msgSerial, count) : this.publishes.onNack(msgSerial, count, error));
		if (!settled) {
			this.ignored.malformed(message.getAction() + " that covers no message this connection sent (msgSerial "
					+ msgSerial + ", count " + message.getCount() + ")");
		}
		else if (message.getAction() == Action.NACK && logger.isDebugEnabled()) {
			// The publish futures say so; not worth more than DEBUG
			logger.debug("The server refused " + count + " message(s) from msgSerial " + msgSerial + ": " + error);
		}
	}

	/**
	 * The frames that concern the connection itself, handled by its state machine.
	 */
	interface ConnectionFrames {

		/**
		 * {@code CONNECTED}: an attempt succeeded, or the details changed [RTN24].
		 * @param message the frame
		 */
		void onConnected(ProtocolMessage message);

		/**
		 * {@code DISCONNECTED}: the server is about to drop the transport [RTN15h].
		 * @param message the frame
		 */
		void onDisconnected(ProtocolMessage message);

		/**
		 * {@code AUTH}: the server asks for a new token [RTN22].
		 */
		void onAuth();

		/**
		 * {@code CLOSED}: the server closed the connection.
		 */
		void onClosed();

		/**
		 * {@code ERROR} without a channel: the connection failed [RTN14g, RTN15j].
		 * @param message the frame
		 */
		void onError(ProtocolMessage message);

	}

}
