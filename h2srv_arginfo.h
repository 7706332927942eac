/* This is a generated file, edit the .stub.php file instead.
 * Stub hash: 265944ab4f41ed5cdf8c6398012d421d5c34f694 */

ZEND_BEGIN_ARG_INFO_EX(arginfo_class_H2srv_Server___construct, 0, 0, 1)
	ZEND_ARG_TYPE_INFO(0, options, IS_ARRAY, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_H2srv_Server_handle, 0, 1, IS_STATIC, 0)
	ZEND_ARG_TYPE_INFO(0, handler, IS_CALLABLE, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_H2srv_Server_run, 0, 0, IS_VOID, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_H2srv_Server_stop arginfo_class_H2srv_Server_run

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_H2srv_Server_after, 0, 2, IS_LONG, 0)
	ZEND_ARG_TYPE_INFO(0, ms, IS_LONG, 0)
	ZEND_ARG_TYPE_INFO(0, callback, IS_CALLABLE, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_H2srv_Server_every arginfo_class_H2srv_Server_after

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_H2srv_Server_cancel, 0, 1, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, id, IS_LONG, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_H2srv_Server_stats, 0, 0, IS_ARRAY, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_H2srv_Server_metrics, 0, 0, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_H2srv_Server_sendTo, 0, 2, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, id, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, data, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, binary, _IS_BOOL, 0, "false")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_INFO_EX(arginfo_class_H2srv_Request___construct, 0, 0, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_H2srv_Request_method arginfo_class_H2srv_Server_metrics

#define arginfo_class_H2srv_Request_path arginfo_class_H2srv_Server_metrics

#define arginfo_class_H2srv_Request_query arginfo_class_H2srv_Server_metrics

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_H2srv_Request_header, 0, 1, IS_STRING, 1)
	ZEND_ARG_TYPE_INFO(0, name, IS_STRING, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_H2srv_Request_headers arginfo_class_H2srv_Server_stats

#define arginfo_class_H2srv_Request_body arginfo_class_H2srv_Server_metrics

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_H2srv_Request_bodyFile, 0, 0, IS_STRING, 1)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_H2srv_Request_bodySize, 0, 0, IS_LONG, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_H2srv_Request_trailers arginfo_class_H2srv_Server_stats

#define arginfo_class_H2srv_Request_queryParams arginfo_class_H2srv_Server_stats

#define arginfo_class_H2srv_Request_cookies arginfo_class_H2srv_Server_stats

#define arginfo_class_H2srv_Request_scheme arginfo_class_H2srv_Server_metrics

#define arginfo_class_H2srv_Request_protocol arginfo_class_H2srv_Server_metrics

#define arginfo_class_H2srv_Request_authority arginfo_class_H2srv_Request_bodyFile

#define arginfo_class_H2srv_Request_remoteAddress arginfo_class_H2srv_Server_metrics

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_H2srv_Request_tls, 0, 0, IS_ARRAY, 1)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_H2srv_Request_isWebSocket, 0, 0, _IS_BOOL, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_H2srv_Request_onBody, 0, 1, IS_VOID, 0)
	ZEND_ARG_TYPE_INFO(0, onChunk, IS_CALLABLE, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, onEnd, IS_CALLABLE, 1, "null")
ZEND_END_ARG_INFO()

#define arginfo_class_H2srv_Response___construct arginfo_class_H2srv_Request___construct

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_H2srv_Response_status, 0, 1, IS_STATIC, 0)
	ZEND_ARG_TYPE_INFO(0, code, IS_LONG, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_H2srv_Response_header, 0, 2, IS_STATIC, 0)
	ZEND_ARG_TYPE_INFO(0, name, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, value, IS_STRING, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_H2srv_Response_trailer arginfo_class_H2srv_Response_header

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_H2srv_Response_end, 0, 0, IS_VOID, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, body, IS_STRING, 0, "\"\"")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_H2srv_Response_stream, 0, 1, IS_VOID, 0)
	ZEND_ARG_TYPE_INFO(0, producer, IS_CALLABLE, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_H2srv_Response_compress, 0, 1, IS_STATIC, 0)
	ZEND_ARG_TYPE_INFO(0, on, _IS_BOOL, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_H2srv_Response_resume arginfo_class_H2srv_Server_run

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_H2srv_Response_sendFile, 0, 1, IS_VOID, 0)
	ZEND_ARG_TYPE_INFO(0, path, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, contentType, IS_STRING, 1, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_H2srv_Response_write, 0, 1, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, chunk, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_H2srv_Response_onDrain, 0, 1, IS_STATIC, 0)
	ZEND_ARG_TYPE_INFO(0, callback, IS_CALLABLE, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_OBJ_INFO_EX(arginfo_class_H2srv_Response_acceptWebSocket, 0, 0, H2srv\\WebSocket, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

#define arginfo_class_H2srv_WebSocket___construct arginfo_class_H2srv_Request___construct

#define arginfo_class_H2srv_WebSocket_id arginfo_class_H2srv_Server_metrics

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_H2srv_WebSocket_onMessage, 0, 1, IS_VOID, 0)
	ZEND_ARG_TYPE_INFO(0, callback, IS_CALLABLE, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_H2srv_WebSocket_onClose arginfo_class_H2srv_WebSocket_onMessage

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_H2srv_WebSocket_send, 0, 1, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, data, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, binary, _IS_BOOL, 0, "false")
ZEND_END_ARG_INFO()

#define arginfo_class_H2srv_WebSocket_onDrain arginfo_class_H2srv_WebSocket_onMessage

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_H2srv_WebSocket_close, 0, 0, IS_VOID, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, code, IS_LONG, 0, "1000")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, reason, IS_STRING, 0, "\"\"")
ZEND_END_ARG_INFO()


ZEND_METHOD(H2srv_Server, __construct);
ZEND_METHOD(H2srv_Server, handle);
ZEND_METHOD(H2srv_Server, run);
ZEND_METHOD(H2srv_Server, stop);
ZEND_METHOD(H2srv_Server, after);
ZEND_METHOD(H2srv_Server, every);
ZEND_METHOD(H2srv_Server, cancel);
ZEND_METHOD(H2srv_Server, stats);
ZEND_METHOD(H2srv_Server, metrics);
ZEND_METHOD(H2srv_Server, sendTo);
ZEND_METHOD(H2srv_Request, __construct);
ZEND_METHOD(H2srv_Request, method);
ZEND_METHOD(H2srv_Request, path);
ZEND_METHOD(H2srv_Request, query);
ZEND_METHOD(H2srv_Request, header);
ZEND_METHOD(H2srv_Request, headers);
ZEND_METHOD(H2srv_Request, body);
ZEND_METHOD(H2srv_Request, bodyFile);
ZEND_METHOD(H2srv_Request, bodySize);
ZEND_METHOD(H2srv_Request, trailers);
ZEND_METHOD(H2srv_Request, queryParams);
ZEND_METHOD(H2srv_Request, cookies);
ZEND_METHOD(H2srv_Request, scheme);
ZEND_METHOD(H2srv_Request, protocol);
ZEND_METHOD(H2srv_Request, authority);
ZEND_METHOD(H2srv_Request, remoteAddress);
ZEND_METHOD(H2srv_Request, tls);
ZEND_METHOD(H2srv_Request, isWebSocket);
ZEND_METHOD(H2srv_Request, onBody);
ZEND_METHOD(H2srv_Response, __construct);
ZEND_METHOD(H2srv_Response, status);
ZEND_METHOD(H2srv_Response, header);
ZEND_METHOD(H2srv_Response, trailer);
ZEND_METHOD(H2srv_Response, end);
ZEND_METHOD(H2srv_Response, stream);
ZEND_METHOD(H2srv_Response, compress);
ZEND_METHOD(H2srv_Response, resume);
ZEND_METHOD(H2srv_Response, sendFile);
ZEND_METHOD(H2srv_Response, write);
ZEND_METHOD(H2srv_Response, onDrain);
ZEND_METHOD(H2srv_Response, acceptWebSocket);
ZEND_METHOD(H2srv_WebSocket, __construct);
ZEND_METHOD(H2srv_WebSocket, id);
ZEND_METHOD(H2srv_WebSocket, onMessage);
ZEND_METHOD(H2srv_WebSocket, onClose);
ZEND_METHOD(H2srv_WebSocket, send);
ZEND_METHOD(H2srv_WebSocket, onDrain);
ZEND_METHOD(H2srv_WebSocket, close);


static const zend_function_entry class_H2srv_Exception_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_H2srv_Server_methods[] = {
	ZEND_ME(H2srv_Server, __construct, arginfo_class_H2srv_Server___construct, ZEND_ACC_PUBLIC)
	ZEND_ME(H2srv_Server, handle, arginfo_class_H2srv_Server_handle, ZEND_ACC_PUBLIC)
	ZEND_ME(H2srv_Server, run, arginfo_class_H2srv_Server_run, ZEND_ACC_PUBLIC)
	ZEND_ME(H2srv_Server, stop, arginfo_class_H2srv_Server_stop, ZEND_ACC_PUBLIC)
	ZEND_ME(H2srv_Server, after, arginfo_class_H2srv_Server_after, ZEND_ACC_PUBLIC)
	ZEND_ME(H2srv_Server, every, arginfo_class_H2srv_Server_every, ZEND_ACC_PUBLIC)
	ZEND_ME(H2srv_Server, cancel, arginfo_class_H2srv_Server_cancel, ZEND_ACC_PUBLIC)
	ZEND_ME(H2srv_Server, stats, arginfo_class_H2srv_Server_stats, ZEND_ACC_PUBLIC)
	ZEND_ME(H2srv_Server, metrics, arginfo_class_H2srv_Server_metrics, ZEND_ACC_PUBLIC)
	ZEND_ME(H2srv_Server, sendTo, arginfo_class_H2srv_Server_sendTo, ZEND_ACC_PUBLIC)
	ZEND_FE_END
};


static const zend_function_entry class_H2srv_Request_methods[] = {
	ZEND_ME(H2srv_Request, __construct, arginfo_class_H2srv_Request___construct, ZEND_ACC_PRIVATE)
	ZEND_ME(H2srv_Request, method, arginfo_class_H2srv_Request_method, ZEND_ACC_PUBLIC)
	ZEND_ME(H2srv_Request, path, arginfo_class_H2srv_Request_path, ZEND_ACC_PUBLIC)
	ZEND_ME(H2srv_Request, query, arginfo_class_H2srv_Request_query, ZEND_ACC_PUBLIC)
	ZEND_ME(H2srv_Request, header, arginfo_class_H2srv_Request_header, ZEND_ACC_PUBLIC)
	ZEND_ME(H2srv_Request, headers, arginfo_class_H2srv_Request_headers, ZEND_ACC_PUBLIC)
	ZEND_ME(H2srv_Request, body, arginfo_class_H2srv_Request_body, ZEND_ACC_PUBLIC)
	ZEND_ME(H2srv_Request, bodyFile, arginfo_class_H2srv_Request_bodyFile, ZEND_ACC_PUBLIC)
	ZEND_ME(H2srv_Request, bodySize, arginfo_class_H2srv_Request_bodySize, ZEND_ACC_PUBLIC)
	ZEND_ME(H2srv_Request, trailers, arginfo_class_H2srv_Request_trailers, ZEND_ACC_PUBLIC)
	ZEND_ME(H2srv_Request, queryParams, arginfo_class_H2srv_Request_queryParams, ZEND_ACC_PUBLIC)
	ZEND_ME(H2srv_Request, cookies, arginfo_class_H2srv_Request_cookies, ZEND_ACC_PUBLIC)
	ZEND_ME(H2srv_Request, scheme, arginfo_class_H2srv_Request_scheme, ZEND_ACC_PUBLIC)
	ZEND_ME(H2srv_Request, protocol, arginfo_class_H2srv_Request_protocol, ZEND_ACC_PUBLIC)
	ZEND_ME(H2srv_Request, authority, arginfo_class_H2srv_Request_authority, ZEND_ACC_PUBLIC)
	ZEND_ME(H2srv_Request, remoteAddress, arginfo_class_H2srv_Request_remoteAddress, ZEND_ACC_PUBLIC)
	ZEND_ME(H2srv_Request, tls, arginfo_class_H2srv_Request_tls, ZEND_ACC_PUBLIC)
	ZEND_ME(H2srv_Request, isWebSocket, arginfo_class_H2srv_Request_isWebSocket, ZEND_ACC_PUBLIC)
	ZEND_ME(H2srv_Request, onBody, arginfo_class_H2srv_Request_onBody, ZEND_ACC_PUBLIC)
	ZEND_FE_END
};


static const zend_function_entry class_H2srv_Response_methods[] = {
	ZEND_ME(H2srv_Response, __construct, arginfo_class_H2srv_Response___construct, ZEND_ACC_PRIVATE)
	ZEND_ME(H2srv_Response, status, arginfo_class_H2srv_Response_status, ZEND_ACC_PUBLIC)
	ZEND_ME(H2srv_Response, header, arginfo_class_H2srv_Response_header, ZEND_ACC_PUBLIC)
	ZEND_ME(H2srv_Response, trailer, arginfo_class_H2srv_Response_trailer, ZEND_ACC_PUBLIC)
	ZEND_ME(H2srv_Response, end, arginfo_class_H2srv_Response_end, ZEND_ACC_PUBLIC)
	ZEND_ME(H2srv_Response, stream, arginfo_class_H2srv_Response_stream, ZEND_ACC_PUBLIC)
	ZEND_ME(H2srv_Response, compress, arginfo_class_H2srv_Response_compress, ZEND_ACC_PUBLIC)
	ZEND_ME(H2srv_Response, resume, arginfo_class_H2srv_Response_resume, ZEND_ACC_PUBLIC)
	ZEND_ME(H2srv_Response, sendFile, arginfo_class_H2srv_Response_sendFile, ZEND_ACC_PUBLIC)
	ZEND_ME(H2srv_Response, write, arginfo_class_H2srv_Response_write, ZEND_ACC_PUBLIC)
	ZEND_ME(H2srv_Response, onDrain, arginfo_class_H2srv_Response_onDrain, ZEND_ACC_PUBLIC)
	ZEND_ME(H2srv_Response, acceptWebSocket, arginfo_class_H2srv_Response_acceptWebSocket, ZEND_ACC_PUBLIC)
	ZEND_FE_END
};


static const zend_function_entry class_H2srv_WebSocket_methods[] = {
	ZEND_ME(H2srv_WebSocket, __construct, arginfo_class_H2srv_WebSocket___construct, ZEND_ACC_PRIVATE)
	ZEND_ME(H2srv_WebSocket, id, arginfo_class_H2srv_WebSocket_id, ZEND_ACC_PUBLIC)
	ZEND_ME(H2srv_WebSocket, onMessage, arginfo_class_H2srv_WebSocket_onMessage, ZEND_ACC_PUBLIC)
	ZEND_ME(H2srv_WebSocket, onClose, arginfo_class_H2srv_WebSocket_onClose, ZEND_ACC_PUBLIC)
	ZEND_ME(H2srv_WebSocket, send, arginfo_class_H2srv_WebSocket_send, ZEND_ACC_PUBLIC)
	ZEND_ME(H2srv_WebSocket, onDrain, arginfo_class_H2srv_WebSocket_onDrain, ZEND_ACC_PUBLIC)
	ZEND_ME(H2srv_WebSocket, close, arginfo_class_H2srv_WebSocket_close, ZEND_ACC_PUBLIC)
	ZEND_FE_END
};

static zend_class_entry *register_class_H2srv_Exception(zend_class_entry *class_entry_RuntimeException)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "H2srv", "Exception", class_H2srv_Exception_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_RuntimeException);

	return class_entry;
}

static zend_class_entry *register_class_H2srv_Server(void)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "H2srv", "Server", class_H2srv_Server_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
	class_entry->ce_flags |= ZEND_ACC_FINAL|ZEND_ACC_NO_DYNAMIC_PROPERTIES|ZEND_ACC_NOT_SERIALIZABLE;

	return class_entry;
}

static zend_class_entry *register_class_H2srv_Request(void)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "H2srv", "Request", class_H2srv_Request_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
	class_entry->ce_flags |= ZEND_ACC_FINAL|ZEND_ACC_NO_DYNAMIC_PROPERTIES|ZEND_ACC_NOT_SERIALIZABLE;

	return class_entry;
}

static zend_class_entry *register_class_H2srv_Response(void)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "H2srv", "Response", class_H2srv_Response_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
	class_entry->ce_flags |= ZEND_ACC_FINAL|ZEND_ACC_NO_DYNAMIC_PROPERTIES|ZEND_ACC_NOT_SERIALIZABLE;

	return class_entry;
}

static zend_class_entry *register_class_H2srv_WebSocket(void)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "H2srv", "WebSocket", class_H2srv_WebSocket_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
	class_entry->ce_flags |= ZEND_ACC_FINAL|ZEND_ACC_NO_DYNAMIC_PROPERTIES|ZEND_ACC_NOT_SERIALIZABLE;

	return class_entry;
}
