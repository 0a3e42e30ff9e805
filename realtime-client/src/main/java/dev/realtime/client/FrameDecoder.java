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

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import dev.realtime.client.protocol.Action;
import dev.realtime.client.protocol.ProtocolCodec;
import dev.realtime.client.protocol.ProtocolException;
import dev.realtime.client.protocol.ProtocolMessage;
import dev.realtime.client.protocol.WireMessage;
import dev.realtime.client.transport.ReadControl;
import dev.realtime.client.transport.TransportListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Listens to the transport of one connection attempt: decodes its frames on the
 * transport's reader and queues them, with the end of the transport after them, in the
 * attempt's {@link InboundFrames}, which pauses reading while the actor is behind (TCP
 * back-pressure). What cannot be decoded is counted and ignored [RTF1].
 *
 * @author Realtime team
 */
final class FrameDecoder implements TransportListener {

	private static final Log logger = LogFactory.getLog(FrameDecoder.class);

	private final ProtocolCodec codec;

	private final InboundFrames frames;

	private final InboundFlow inbound;

	private final IgnoredFrames ignored;

	private final ConnectionStatistics statistics;

	/**
	 * The parts of the frame being decoded that were dropped, emptied for each frame: one
	 * list for them all, since the transport hands over one frame at a time, so that a
	 * frame with nothing dropped allocates nothing here.
	 */
	private final List<String> dropped = new ArrayList<>(0);

	private final Consumer<String> onDropped = this.dropped::add;

	/**
	 * Create the listener of one attempt's transport.
	 * @param codec decodes frames
	 * @param frames the attempt's queue of frames
	 * @param inbound hands the frames to the actor
	 * @param ignored counts what cannot be decoded
	 * @param statistics counts what arrives
	 */
	FrameDecoder(ProtocolCodec codec, InboundFrames frames, InboundFlow inbound, IgnoredFrames ignored,
			ConnectionStatistics statistics) {
		this.codec = codec;
		this.frames = frames;
		this.inbound = inbound;
		this.ignored = ignored;
		this.statistics = statistics;
	}

	@Override
	public void onOpen(ReadControl reading) {
		this.frames.readWith(reading);
		logger.debug("Transport open; waiting for CONNECTED");
	}

	@Override
	public void onFrame(String frame) {
		ProtocolMessage message;
		this.dropped.clear();
		try {
			message = this.codec.decode(frame, this.onDropped);
		}
		catch (ProtocolException ex) {
			this.statistics.onReceived(frame, 0);
			this.ignored.malformed("a frame that is not a protocol message: " + ex.getMessage());
			return;
		}
		List<WireMessage> messages = (message.getAction() == Action.MESSAGE) ? message.getMessages() : null;
		this.statistics.onReceived(frame, (messages != null) ? messages.size() : 0);
		if (!this.dropped.isEmpty()) {
			this.ignored.malformed("parts of a " + message.getAction() + " frame that are not what the protocol says: "
					+ String.join("; ", this.dropped));
		}
		try {
			if (this.frames.offer(message, frame.length())) {
				this.inbound.startDrain(this.frames);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void onFrameRejected(String reason) {
		this.ignored.malformed("a frame the transport rejected: " + reason);
	}

	@Override
	public void onClosed(String reason) {
		if (this.frames.end(reason)) {
			// Even if a drain is under way: it may be paused, and the end must be heard
			this.inbound.startDrain(this.frames);
		}
	}

}
