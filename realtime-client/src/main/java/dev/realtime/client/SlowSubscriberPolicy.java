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

/**
 * What a channel does when its subscribers fall behind: when the messages waiting for
 * them exceed their buffer and stay above it for longer than the connection may be held
 * back for them. Until then the connection stops reading, so that TCP slows the server
 * and nothing is lost; past it, the channel alone deals with its slow subscribers, and
 * the connection and the other channels carry on.
 *
 * @author Realtime team
 * @see RealtimeClientOptions.Subscribers
 */
public enum SlowSubscriberPolicy {

	/**
	 * Stop taking the channel's messages until its subscribers have caught up, then
	 * attach the channel again from the last message they were given, so that the server
	 * sends the rest. Nothing is lost while the server still holds the messages.
	 */
	REATTACH,

	/**
	 * Drop the channel's messages while its subscribers are behind, and count them
	 * ({@link RealtimeChannel#droppedMessages()}). For feeds where only the latest value
	 * matters.
	 */
	DROP

}
