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

import org.jspecify.annotations.Nullable;

/**
 * A snapshot of one channel for metrics and management endpoints.
 *
 * @param name the name of the channel
 * @param state its state
 * @param channelSerial the serial of the latest message or presence event it took, from
 * which it resumes; {@code null} before the first and once detached or failed
 * @param subscriberBacklog how many bytes of received messages wait for its subscribers
 * @param droppedMessages how many messages were dropped while its subscribers were slow
 * @author Realtime team
 * @see RealtimeStatistics#channels()
 */
public record ChannelStatistics(String name, ChannelState state, @Nullable String channelSerial, long subscriberBacklog,
		long droppedMessages) {

}
