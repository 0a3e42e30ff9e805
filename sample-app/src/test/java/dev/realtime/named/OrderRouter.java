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

package dev.realtime.named;

import java.util.Map;

import dev.realtime.client.Message;
import dev.realtime.client.RealtimeChannel;
import dev.realtime.client.RealtimeClient;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;

/**
 * The README's example of a bean that uses two named connections: it places an order on
 * one for every price that comes on the other. Outside the sample's package, so that only
 * the test of named connections has it.
 */
@Service
class OrderRouter {

	private final RealtimeChannel orders;

	OrderRouter(@Qualifier("prices") RealtimeClient prices, @Qualifier("orders") RealtimeClient orders) {
		this.orders = orders.channel("orders");
		prices.channel("prices").subscribe("tick", this::onTick);
	}

	private void onTick(Message tick) {
		// Completes on the orders server's ACK, or fails saying why
		this.orders.publish("order", Map.of("buy", tick.data()));
	}

}
