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

package dev.realtime.client.protocol;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.realtime.client.ErrorInfo;
import org.jspecify.annotations.Nullable;

/**
 * One frame of the realtime protocol. Only {@code action} is always present; every other
 * field depends on the action. Fields the protocol defines that this library does not use
 * yet are ignored when read.
 *
 * @author Realtime team
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ProtocolMessage {

	@JsonProperty("action")
	private @Nullable Integer actionCode;

	private @Nullable String id;

	private @Nullable String channel;

	private @Nullable String channelSerial;

	private @Nullable String connectionId;

	private @Nullable ConnectionDetails connectionDetails;

	private @Nullable Integer count;

	private @Nullable ErrorInfo error;

	private @Nullable Long flags;

	private @Nullable Long msgSerial;

	private @Nullable Long timestamp;

	private @Nullable Map<String, String> params;

	private @Nullable AuthDetails auth;

	private @Nullable List<WireMessage> messages;

	private @Nullable List<WirePresenceMessage> presence;

	/**
	 * Create an empty message, for the JSON reader.
	 */
	public ProtocolMessage() {
	}

	/**
	 * Create a message with the given action.
	 * @param action the action
	 */
	public ProtocolMessage(Action action) {
		this.actionCode = action.code();
	}

	/**
	 * Return the action of this message.
	 * @return the action, or {@code null} if its code is unknown to this library
	 */
	@JsonIgnore
	public @Nullable Action getAction() {
		return (this.actionCode != null) ? Action.fromCode(this.actionCode) : null;
	}

	public @Nullable Integer getActionCode() {
		return this.actionCode;
	}

	void setActionCode(@Nullable Integer actionCode) {
		this.actionCode = actionCode;
	}

	public @Nullable String getId() {
		return this.id;
	}

	public ProtocolMessage setId(@Nullable String id) {
		this.id = id;
		return this;
	}

	public @Nullable String getChannel() {
		return this.channel;
	}

	public ProtocolMessage setChannel(@Nullable String channel) {
		this.channel = channel;
		return this;
	}

	public @Nullable String getChannelSerial() {
		return this.channelSerial;
	}

	public ProtocolMessage setChannelSerial(@Nullable String channelSerial) {
		this.channelSerial = channelSerial;
		return this;
	}

	public @Nullable String getConnectionId() {
		return this.connectionId;
	}

	public ProtocolMessage setConnectionId(@Nullable String connectionId) {
		this.connectionId = connectionId;
		return this;
	}

	public @Nullable ConnectionDetails getConnectionDetails() {
		return this.connectionDetails;
	}

	public ProtocolMessage setConnectionDetails(@Nullable ConnectionDetails connectionDetails) {
		this.connectionDetails = connectionDetails;
		return this;
	}

	public @Nullable Integer getCount() {
		return this.count;
	}

	public ProtocolMessage setCount(@Nullable Integer count) {
		this.count = count;
		return this;
	}

	public @Nullable ErrorInfo getError() {
		return this.error;
	}

	public ProtocolMessage setError(@Nullable ErrorInfo error) {
		this.error = error;
		return this;
	}

	public @Nullable Long getFlags() {
		return this.flags;
	}

	public ProtocolMessage setFlags(@Nullable Long flags) {
		this.flags = flags;
		return this;
	}

	/**
	 * Return whether the given flag is set on this message.
	 * @param flag one of the {@link Flags}
	 * @return whether it is set
	 */
	public boolean hasFlag(long flag) {
		return this.flags != null && Flags.isSet(this.flags, flag);
	}

	public @Nullable Long getMsgSerial() {
		return this.msgSerial;
	}

	public ProtocolMessage setMsgSerial(@Nullable Long msgSerial) {
		this.msgSerial = msgSerial;
		return this;
	}

	public @Nullable Long getTimestamp() {
		return this.timestamp;
	}

	public ProtocolMessage setTimestamp(@Nullable Long timestamp) {
		this.timestamp = timestamp;
		return this;
	}

	public @Nullable Map<String, String> getParams() {
		return this.params;
	}

	public @Nullable AuthDetails getAuth() {
		return this.auth;
	}

	public ProtocolMessage setAuth(@Nullable AuthDetails auth) {
		this.auth = auth;
		return this;
	}

	public ProtocolMessage setParams(@Nullable Map<String, String> params) {
		this.params = params;
		return this;
	}

	public @Nullable List<WireMessage> getMessages() {
		return this.messages;
	}

	public ProtocolMessage setMessages(@Nullable List<WireMessage> messages) {
		this.messages = messages;
		return this;
	}

	public @Nullable List<WirePresenceMessage> getPresence() {
		return this.presence;
	}

	public ProtocolMessage setPresence(@Nullable List<WirePresenceMessage> presence) {
		this.presence = presence;
		return this;
	}

	@Override
	public String toString() {
		Action action = getAction();
		StringBuilder result = new StringBuilder("ProtocolMessage[");
		result.append((action != null) ? action : "action=" + this.actionCode);
		appendIfSet(result, "id", this.id);
		appendIfSet(result, "channel", this.channel);
		appendIfSet(result, "channelSerial", this.channelSerial);
		appendIfSet(result, "connectionId", this.connectionId);
		appendIfSet(result, "msgSerial", this.msgSerial);
		appendIfSet(result, "count", this.count);
		appendIfSet(result, "flags", this.flags);
		appendIfSet(result, "error", this.error);
		if (this.messages != null) {
			result.append(", messages=").append(this.messages.size());
		}
		if (this.presence != null) {
			result.append(", presence=").append(this.presence.size());
		}
		return result.append(']').toString();
	}

	private static void appendIfSet(StringBuilder result, String name, @Nullable Object value) {
		if (value != null) {
			result.append(", ").append(name).append('=').append(value);
		}
	}

}
