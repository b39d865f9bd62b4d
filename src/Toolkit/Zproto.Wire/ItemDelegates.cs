namespace Zproto.Wire;

/// <summary>Reads one list item; generated codecs pass a static lambda, so no delegate is allocated per call.</summary>
public delegate bool ItemReader<T>(ref ZprotoReader reader, out T item);

/// <summary>Writes one list item.</summary>
public delegate void ItemWriter<T>(ref ZprotoWriter writer, T item);
