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

import dev.realtime.client.RealtimeClient;

/**
 * Callback interface that can be implemented by beans wishing to customize the
 * {@link RealtimeClient.Builder} of the auto-configured {@link RealtimeClient
 * RealtimeClients} (that of {@code realtime.*} and each named connection's), for example
 * to supply a different transport. Customizers run in order, after the scheduler, the
 * transport and the token provider have been set. To customize the client of one
 * connection only, test its name: {@code builder.options().name()}.
 *
 * @author Realtime team
 */
@FunctionalInterface
public interface RealtimeClientCustomizer {

	/**
	 * Customize the builder.
	 * @param builder the builder to customize
	 */
	void customize(RealtimeClient.Builder builder);

}
