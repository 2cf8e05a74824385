#!/usr/bin/python3
"""One libtorrent peer for the benchmark: seed or leech one torrent on a loopback address.

usage: lt_peer.py seed|leech TORRENT DIR IP PORT [PEER_IP:PORT ...]
Prints 'ready' once the torrent is checked and listening, and 'complete' once a leecher has every
piece. DHT, LSD, UPnP, NAT-PMP, PEX and uTP are off; it talks only to the peers it is given.
Environment: LT_UPLOAD_LIMIT (bytes per second, 0 or unset: none) caps its upload; with LT_REPORT set it
prints 'uploaded N' (payload bytes sent so far) every second.
"""
import os
import sys
import time

import libtorrent as lt


def main():
    mode, torrent, save, ip, port = sys.argv[1:6]
    peers = [(p.rsplit(':', 1)[0], int(p.rsplit(':', 1)[1])) for p in sys.argv[6:]]
    session = lt.session({
        'listen_interfaces': '%s:%s' % (ip, port),
        'outgoing_interfaces': ip,
        'enable_dht': False,
        'enable_lsd': False,
        'enable_upnp': False,
        'enable_natpmp': False,
        'allow_multiple_connections_per_ip': True,
        # TCP only, as the Freshet engine: libtorrent's uTP runs at a few MB/s on loopback
        'enable_outgoing_utp': False,
        'enable_incoming_utp': False,
        'alert_mask': 0,
        'upload_rate_limit': int(os.environ.get('LT_UPLOAD_LIMIT', '0') or 0),
    })
    if int(os.environ.get('LT_UPLOAD_LIMIT', '0') or 0):
        # libtorrent puts loopback and LAN peers in its local peer class, which no rate limit applies to: every
        # peer in the global class instead, so that the cap holds on loopback too
        classes = lt.ip_filter()
        classes.add_rule('0.0.0.0', '255.255.255.255', 1 << session.global_peer_class_id)
        session.set_peer_class_filter(classes)
    params = lt.add_torrent_params()
    params.ti = lt.torrent_info(torrent)
    params.save_path = save
    params.flags |= lt.torrent_flags.disable_pex
    handle = session.add_torrent(params)
    while handle.status().state in (lt.torrent_status.checking_files, lt.torrent_status.checking_resume_data):
        time.sleep(0.02)
    print('ready', flush=True)
    reported = False
    last_connect = 0.0
    last_report = 0.0
    while True:
        status = handle.status()
        if mode == 'leech' and status.is_seeding and not reported:
            print('complete', flush=True)
            reported = True
        now = time.monotonic()
        if os.environ.get('LT_REPORT') and now - last_report >= 1.0:
            print('uploaded %d' % status.total_payload_upload, flush=True)
            last_report = now
        if now - last_connect > 1.0:
            for p in peers:
                handle.connect_peer(p)
            last_connect = now
        time.sleep(0.02)


if __name__ == '__main__':
    main()
