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

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

import dev.realtime.client.protocol.ProtocolMessage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The flow of frames from the current transport to the connection's actor, and the
 * back-pressure on it. The transport's reader queues decoded frames in the transport's
 * {@link InboundFrames}, which pauses reading when it is full; the actor drains them a
 * batch at a time, and stops draining while the subscribers of a channel are behind their
 * buffer, for at most {@code maxPause}, past which that channel's subscribers are slow.
 * <p>
 * Confined to the actor, except {@link #startDrain}.
 *
 * @author Realtime team
 */
final class InboundFlow {

	private static final Log logger = LogFactory.getLog(InboundFlow.class);

	/** How many decoded frames may wait for the actor before reading pauses. */
	static final int MAX_FRAMES = 1024;

	/**
	 * How many bytes of decoded frames may wait for the actor before reading pauses.
	 */
	static final long MAX_BYTES = 8L * 1024 * 1024;

	/** How many frames the actor handles in one task before it lets other tasks in. */
	private static final int BATCH = 64;

	private final Executor actor;

	private final ActorTimers pauseTimers;

	private final Duration maxPause;

	private final Handler handler;

	private final Runnable onBackPressure;

	/** The frames of the current transport; {@code null} without one. */
	private @Nullable InboundFrames frames;

	/**
	 * The channel whose subscribers are behind, for which the actor stopped draining;
	 * {@code null} while draining.
	 */
	private @Nullable Channel pausedFor;

	/**
	 * Create the flow of a connection.
	 * @param actor the connection's actor
	 * @param pauseTimers times pauses for subscribers
	 * @param maxPause how long the subscribers of a channel may hold reading back
	 * @param handler takes the frames, on the actor
	 * @param onBackPressure told, on the reader's thread, each time reading stops because
	 * the actor is behind; must not block
	 */
	InboundFlow(Executor actor, ActorTimers pauseTimers, Duration maxPause, Handler handler, Runnable onBackPressure) {
		this.actor = actor;
		this.pauseTimers = pauseTimers;
		this.maxPause = maxPause;
		this.handler = handler;
		this.onBackPressure = onBackPressure;
	}

	/**
	 * Start the flow of a new transport, ending the previous one's.
	 * @return the frames the new transport's reader queues
	 */
	InboundFrames open() {
		close();
		InboundFrames frames = new InboundFrames(MAX_FRAMES, MAX_BYTES, this.onBackPressure);
		this.frames = frames;
		return frames;
	}

	/**
	 * End the flow of the current transport: its waiting frames are discarded and a
	 * waiting reader is released.
	 */
	void close() {
		InboundFrames frames = this.frames;
		this.frames = null;
		if (frames != null) {
			frames.close();
		}
		this.pausedFor = null;
		this.pauseTimers.cancelAll();
	}

	/**
	 * Make sure the actor drains the given frames. Called on any thread, by the reader
	 * when {@link InboundFrames#offer} or {@link InboundFrames#end} asks for it.
	 * @param frames the frames
	 */
	void startDrain(InboundFrames frames) {
		this.actor.execute(() -> drain(frames));
	}

	private void drain(InboundFrames frames) {
		for (int i = 0; i < BATCH; i++) {
			if (frames != this.frames || (this.pausedFor != null && !frames.isEnded())) {
				return; // abandoned, or paused: resume() drains again
			}
			InboundFrames.Frame frame = frames.poll();
			if (frame == null) {
				return;
			}
			ProtocolMessage message = frame.message();
			if (message != null) {
				this.handler.onMessage(message, frame.size());
			}
			else {
				this.handler.onEnd(Objects.requireNonNullElse(frame.endReason(), "ended"));
			}
		}
		this.actor.execute(() -> drain(frames));
	}

	/**
	 * Return whether the actor has stopped reading for slow subscribers.
	 * @return whether paused
	 */
	boolean isPaused() {
		return this.pausedFor != null;
	}

	/**
	 * Stop draining until the channel's subscribers catch up, for at most the maximum
	 * pause.
	 * @param channel the channel whose subscribers are behind
	 */
	void pauseFor(Channel channel) {
		this.pausedFor = channel;
		if (logger.isDebugEnabled()) {
			logger.debug("Subscribers of channel '" + channel.name() + "' are behind (" + channel.pendingBytes()
					+ " bytes waiting); reading paused for up to " + this.maxPause.toMillis() + " ms");
		}
		this.pauseTimers.schedule(this.maxPause, () -> {
			if (this.pausedFor == channel) {
				this.handler.onSlowSubscribers(channel);
				resume();
			}
		});
	}

	/**
	 * The subscribers of a channel caught up: resume if reading waited for them.
	 * @param channel the channel
	 */
	void onCaughtUp(Channel channel) {
		if (this.pausedFor == channel) {
			resume();
		}
	}

	/**
	 * Drain again, whatever the subscribers.
	 */
	void resume() {
		if (this.pausedFor == null) {
			return;
		}
		this.pausedFor = null;
		this.pauseTimers.cancelAll();
		this.handler.onResumed();
		InboundFrames frames = this.frames;
		if (frames != null) {
			startDrain(frames);
		}
	}

	/**
	 * What the flow hands to the connection, on the actor.
	 */
	interface Handler {

		/**
		 * A frame arrived.
		 * @param message the decoded frame
		 * @param size the frame's size
		 */
		void onMessage(ProtocolMessage message, int size);

		/**
		 * The transport ended, after the frames it delivered.
		 * @param reason why
		 */
		void onEnd(String reason);

		/**
		 * The subscribers of a channel stayed behind for longer than the maximum pause.
		 * @param channel the channel
		 */
		void onSlowSubscribers(Channel channel);

		/**
		 * Reading resumed after a pause.
		 */
		void onResumed();

	}

}
