"""Integration-test harness: free loopback ports, managed processes, real SIP peers (baresip,
sipp), the sidebar-mixer service, and the tone meter that says what each caller heard."""
