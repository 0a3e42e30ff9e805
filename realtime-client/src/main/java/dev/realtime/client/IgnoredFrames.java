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

import java.util.concurrent.atomic.AtomicLong;

import dev.realtime.client.protocol.ProtocolMessage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * What a connection ignores of what the server sends, counted and logged: frames or parts
 * of frames that are malformed [RTF1], and protocol messages that reach no handler.
 * Thread-safe: frames are decoded on the transport's reader and handled on the actor.
 *
 * @author Realtime team
 */
final class IgnoredFrames {

	private static final Log logger = LogFactory.getLog(IgnoredFrames.class);

	private final AtomicLong malformed = new AtomicLong();

	private final AtomicLong unhandled = new AtomicLong();

	/**
	 * Count and log a frame, or part of one, that the client cannot use and ignores.
	 * @param what what is wrong with it
	 */
	void malformed(String what) {
		this.malformed.incrementAndGet();
		logger.warn("Ignoring " + what + " [RTF1]");
	}

	/**
	 * Count and log a protocol message that reached no handler. The first is logged at
	 * WARN, the others at DEBUG: a server that speaks the protocol sends none, and one
	 * that does not may send many.
	 * @param message the message
	 * @param why why no handler took it
	 */
	void unhandled(ProtocolMessage message, String why) {
		String text = "Ignoring " + message + ": " + why;
		if (this.unhandled.getAndIncrement() == 0) {
			logger.warn(text + " (further ones are counted in unhandledFrames and logged at DEBUG)");
		}
		else {
			logger.debug(text);
		}
	}

	/**
	 * Return how many malformed frames, or parts of frames, were ignored.
	 * @return the count
	 */
	long malformedCount() {
		return this.malformed.get();
	}

	/**
	 * Return how many protocol messages reached no handler.
	 * @return the count
	 */
	long unhandledCount() {
		return this.unhandled.get();
	}

}
