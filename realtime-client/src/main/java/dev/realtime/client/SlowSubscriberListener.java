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
 * Listens for channels whose subscribers are slow: they stayed behind their buffer for
 * longer than the connection may be held back for them, and their channel now applies its
 * {@link SlowSubscriberPolicy}. Called on the listener lane, in order with state changes.
 *
 * @author Realtime team
 * @see RealtimeClient#addSlowSubscriberListener(SlowSubscriberListener)
 */
@FunctionalInterface
public interface SlowSubscriberListener {

	/**
	 * Called when a channel's subscribers have become slow.
	 * @param slow what happened
	 */
	void onSlowSubscribers(SlowSubscribers slow);

}
