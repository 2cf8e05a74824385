package dev.freshet.engine.metainfo;

import dev.freshet.engine.bencode.BValue;
import dev.freshet.engine.bencode.BValue.BDictionary;
import dev.freshet.engine.bencode.BValue.BList;
import dev.freshet.engine.bencode.BValue.BString;
import dev.freshet.engine.bencode.Bencode;
import dev.freshet.engine.bencode.BencodeException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code .torrent} file (BEP 3): the {@link Info} plus where to find peers ({@code announce},
 * BEP 12 {@code announce-list}), web seeds (BEP 19 {@code url-list}) and descriptive fields.
 */
public record Metainfo(Info info, Optional<String> announce, List<List<String>> announceList, List<String> urlList,
                       Optional<String> comment, Optional<String> createdBy, Optional<Long> creationDate) {

    /** Torrent files larger than this are refused before decoding (a 16 MiB-piece 1 TB torrent is ~1.3 MB). */
    public static final int MAX_TORRENT_BYTES = 32 << 20;

    public Metainfo {
        java.util.Objects.requireNonNull(info, "info");
        announceList = announceList.stream().map(List::copyOf).toList();
        urlList = List.copyOf(urlList);
    }

    public static Metainfo of(Info info, List<List<String>> announceList) {
        Optional<String> announce = announceList.stream().flatMap(List::stream).findFirst();
        return new Metainfo(info, announce, announceList, List.of(), Optional.empty(),
                Optional.of("Freshet"), Optional.of(System.currentTimeMillis() / 1000));
    }

    public InfoHash infoHash() {
        return info.infoHash();
    }

    /** All tracker URLs, tier by tier: the announce-list when present, else the single announce URL. */
    public List<List<String>> trackerTiers() {
        if (!announceList.isEmpty()) {
            return announceList;
        }
        return announce.map(a -> List.of(List.of(a))).orElse(List.of());
    }

    public static Metainfo parse(byte[] torrent) {
        if (torrent.length > MAX_TORRENT_BYTES) {
            throw new MetainfoException("torrent file of " + torrent.length + " bytes exceeds the limit of " + MAX_TORRENT_BYTES);
        }
        Bencode.Captured captured;
        try {
            captured = Bencode.decodeCapturing(torrent, "info");
        } catch (BencodeException e) {
            throw new MetainfoException("malformed torrent file: " + e.getMessage(), e);
        }
        if (!(captured.value() instanceof BDictionary root)) {
            throw new MetainfoException("a torrent file is a bencoded dictionary");
        }
        BDictionary infoDict = root.dictionary("info")
                .orElseThrow(() -> new MetainfoException("the torrent has no 'info' dictionary"));
        Info info = Info.fromDictionary(infoDict, captured.raw().orElseThrow());

        Optional<String> announce = root.string("announce").map(BString::utf8);
        List<List<String>> tiers = new ArrayList<>();
        root.list("announce-list").ifPresent(list -> {
            for (BValue tier : list.values()) {
                if (tier instanceof BList t) {
                    List<String> urls = new ArrayList<>();
                    for (BValue u : t.values()) {
                        if (u instanceof BString s && s.length() > 0) {
                            urls.add(s.utf8());
                        }
                    }
                    if (!urls.isEmpty()) {
                        tiers.add(urls);
                    }
                }
            }
        });
        List<String> urlList = new ArrayList<>();
        root.get("url-list").ifPresent(v -> {
            if (v instanceof BString s && s.length() > 0) {
                urlList.add(s.utf8());
            } else if (v instanceof BList l) {
                for (BValue u : l.values()) {
                    if (u instanceof BString s && s.length() > 0) {
                        urlList.add(s.utf8());
                    }
                }
            }
        });
        return new Metainfo(info, announce, tiers, urlList,
                root.string("comment").map(BString::utf8),
                root.string("created by").map(BString::utf8),
                root.integer("creation date"));
    }

    /** The {@code .torrent} file bytes; the info bytes are written exactly as held. */
    public byte[] toBytes() {
        Map<String, BValue> d = new LinkedHashMap<>();
        announce.ifPresent(a -> d.put("announce", BValue.of(a)));
        if (!announceList.isEmpty()) {
            d.put("announce-list", new BList(announceList.stream()
                    .<BValue>map(t -> new BList(t.stream().<BValue>map(BValue::of).toList())).toList()));
        }
        if (!urlList.isEmpty()) {
            d.put("url-list", urlList.size() == 1 ? BValue.of(urlList.get(0))
                    : new BList(urlList.stream().<BValue>map(BValue::of).toList()));
        }
        comment.ifPresent(c -> d.put("comment", BValue.of(c)));
        createdBy.ifPresent(c -> d.put("created by", BValue.of(c)));
        creationDate.ifPresent(c -> d.put("creation date", BValue.of(c)));
        return Bencode.encodeWithRaw(BDictionary.of(d), "info", info.rawUnsafe());
    }

    public MagnetLink magnet() {
        List<String> trackers = trackerTiers().stream().flatMap(List::stream).distinct().toList();
        return new MagnetLink(info.infoHash(), Optional.of(info.name()), trackers, List.of());
    }
}
