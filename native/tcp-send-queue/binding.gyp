{
  "targets": [
    {
      "target_name": "tcp_send_queue",
      "sources": ["tcp_send_queue.c"]
    }
  ]
}
