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

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static dev.realtime.client.ChannelState.ATTACHED;
import static dev.realtime.client.ChannelState.ATTACHING;
import static dev.realtime.client.ChannelState.DETACHED;
import static dev.realtime.client.ChannelState.DETACHING;
import static dev.realtime.client.ChannelState.FAILED;
import static dev.realtime.client.ChannelState.INITIALIZED;
import static dev.realtime.client.ChannelState.SUSPENDED;

/**
 * The legal moves between {@link ChannelState ChannelStates}, as data. A move not listed
 * here is a bug in the channel, never something the network can cause.
 *
 * @author Realtime team
 */
final class ChannelStateTransitions {

	private static final Map<ChannelState, Set<ChannelState>> ALLOWED = new EnumMap<>(ChannelState.class);

	static {
		// attach() [RTL4]
		allow(INITIALIZED, ATTACHING);
		// ATTACHED received; timeout or DETACHED [RTL4f, RTL13b]; connection closed or
		// failed [RTL3b, RTL3a]; ERROR [RTL14]. A detach() waits for the attach [RTL5i]
		allow(ATTACHING, ATTACHED, SUSPENDED, DETACHED, FAILED);
		// unrequested DETACHED, or slow subscribers caught up [RTL13a]; detach() [RTL5d,
		// RTL5l]; connection closed, suspended or failed [RTL3]; ERROR [RTL14]
		allow(ATTACHED, ATTACHING, DETACHING, DETACHED, SUSPENDED, FAILED);
		// DETACHED received, or the connection closed or suspended; timeout: back to
		// where it was [RTL5f]; ERROR. An attach() waits for the detach [RTL4h]
		allow(DETACHING, DETACHED, ATTACHED, FAILED);
		// attach(); ATTACHED received after detach() [RTL5k]
		allow(DETACHED, ATTACHING, DETACHING);
		// retry or unrequested DETACHED [RTL13a, RTL13b]; detach() [RTL5j]; connection
		// closed or failed
		allow(SUSPENDED, ATTACHING, DETACHED, FAILED);
		// attach() [RTL4g]
		allow(FAILED, ATTACHING);
	}

	private ChannelStateTransitions() {
	}

	private static void allow(ChannelState from, ChannelState... to) {
		ALLOWED.put(from, EnumSet.of(to[0], to));
	}

	/**
	 * Return whether a channel may move from one state to another.
	 * @param from the current state
	 * @param to the next state
	 * @return whether the move is legal
	 */
	static boolean isAllowed(ChannelState from, ChannelState to) {
		return ALLOWED.get(from).contains(to);
	}

}
