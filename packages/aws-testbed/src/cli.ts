// Placeholder entry; the AWS test server's command line lands with the server.
export {};
