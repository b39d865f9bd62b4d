using System.Collections.Generic;

namespace Zproto.Model.Diagnostics;

/// <summary>A diagnostic kind: id, default severity, title and message format.</summary>
public sealed record DiagnosticDescriptor(string Id, Severity Severity, string Title, string Format);

/// <summary>
/// Every diagnostic the model checks can report, declared once. Bands: ZP1xxx syntax and files,
/// ZP2xxx codec semantics, ZP3xxx state machines, ZP9xxx internal. Each id is documented in
/// docs/diagnostics.md; a test keeps the two in step.
/// </summary>
public static class DiagnosticDescriptors
{
    /// <summary>ZP1001: the XML is not well-formed.</summary>
    public static readonly DiagnosticDescriptor MalformedXml = new("ZP1001", Severity.Error, "Malformed XML", "malformed XML: {0}");
    /// <summary>ZP1002: the YAML does not parse, or has the wrong shape.</summary>
    public static readonly DiagnosticDescriptor MalformedYaml = new("ZP1002", Severity.Error, "Malformed YAML", "malformed YAML: {0}");
    /// <summary>ZP1003: an attribute (or YAML key) the element does not have.</summary>
    public static readonly DiagnosticDescriptor UnknownAttribute = new("ZP1003", Severity.Warning, "Unknown attribute", "{0} '{1}' has no attribute '{2}'; it is ignored");
    /// <summary>ZP1004: an element that is not part of the model language.</summary>
    public static readonly DiagnosticDescriptor UnknownElement = new("ZP1004", Severity.Warning, "Unknown element", "element <{0}> is not part of the model language here; it is ignored");
    /// <summary>ZP1005: an include names a file that cannot be found.</summary>
    public static readonly DiagnosticDescriptor IncludeNotFound = new("ZP1005", Severity.Error, "Include not found", "include file '{0}' not found (looked for '{1}')");
    /// <summary>ZP1006: a file includes itself, directly or not.</summary>
    public static readonly DiagnosticDescriptor IncludeCycle = new("ZP1006", Severity.Error, "Include cycle", "include of '{0}' forms a cycle");
    /// <summary>ZP1007: a required attribute is missing.</summary>
    public static readonly DiagnosticDescriptor MissingAttribute = new("ZP1007", Severity.Error, "Missing attribute", "{0} needs a '{1}' attribute");
    /// <summary>ZP1008: an attribute value is not of the right form.</summary>
    public static readonly DiagnosticDescriptor InvalidAttribute = new("ZP1008", Severity.Error, "Invalid attribute value", "{0} '{1}': {2}");
    /// <summary>ZP1009: the document is not a model (root element is not class).</summary>
    public static readonly DiagnosticDescriptor NotAModel = new("ZP1009", Severity.Error, "Not a model", "the root element must be <class>, not <{0}>");

    /// <summary>ZP2001: two messages share an id.</summary>
    public static readonly DiagnosticDescriptor DuplicateMessageId = new("ZP2001", Severity.Error, "Duplicate message id", "message '{0}' reuses id {1} already used by '{2}'");
    /// <summary>ZP2002: two messages share a name (names compare case-insensitively, spaces, hyphens and underscores equal).</summary>
    public static readonly DiagnosticDescriptor DuplicateMessageName = new("ZP2002", Severity.Error, "Duplicate message name", "message '{0}' has the same name as message '{1}'");
    /// <summary>ZP2003: a message (or type) has two fields of one name.</summary>
    public static readonly DiagnosticDescriptor DuplicateFieldName = new("ZP2003", Severity.Error, "Duplicate field name", "{0} has two fields named '{1}'");
    /// <summary>ZP2004: one field name with different types or sizes in different messages.</summary>
    public static readonly DiagnosticDescriptor FieldTypeConflict = new("ZP2004", Severity.Error, "Field type conflict", "field '{0}' is {1} here but {2} in message '{3}'; a field name must have one type and size in a protocol");
    /// <summary>ZP2005: a type name that is neither built in nor declared.</summary>
    public static readonly DiagnosticDescriptor UnknownType = new("ZP2005", Severity.Error, "Unknown type", "field '{0}' has unknown type '{1}'");
    /// <summary>ZP2006: a msg field that is not the last field.</summary>
    public static readonly DiagnosticDescriptor MsgNotLast = new("ZP2006", Severity.Error, "msg not last", "field '{0}' of type msg must be the last field of message '{1}'");
    /// <summary>ZP2007: a number size other than 1, 2, 4 or 8.</summary>
    public static readonly DiagnosticDescriptor BadNumberSize = new("ZP2007", Severity.Error, "Bad number size", "field '{0}' has size {1}; a number is 1, 2, 4 or 8 octets");
    /// <summary>ZP2008: octets without a positive size.</summary>
    public static readonly DiagnosticDescriptor BadOctetsSize = new("ZP2008", Severity.Error, "Bad octets size", "octets field '{0}' needs a positive size, not '{1}'");
    /// <summary>ZP2009: a string constant over 255 octets of UTF-8.</summary>
    public static readonly DiagnosticDescriptor StringConstantTooLong = new("ZP2009", Severity.Error, "String constant too long", "constant of field '{0}' is {1} UTF-8 octets; a string holds at most 255");
    /// <summary>ZP2010: a constant on a type that cannot have one, or a number constant that does not fit.</summary>
    public static readonly DiagnosticDescriptor BadConstant = new("ZP2010", Severity.Error, "Bad constant", "field '{0}': {1}");
    /// <summary>ZP2011: signature that is not a number from 0 to 255.</summary>
    public static readonly DiagnosticDescriptor BadSignature = new("ZP2011", Severity.Error, "Bad signature", "signature '{0}' must be a number from 0 to 15 (zproto's range; up to 255 is accepted as zproto's generator ORs it into 0xA0)");
    /// <summary>ZP2012: message id outside its range.</summary>
    public static readonly DiagnosticDescriptor BadMessageId = new("ZP2012", Severity.Error, "Bad message id", "message '{0}' has id {1}; ids are {2}");
    /// <summary>ZP2013: bit fields that do not fill whole octets, or a bad bit width.</summary>
    public static readonly DiagnosticDescriptor BadBits = new("ZP2013", Severity.Error, "Bad bit fields", "field '{0}': {1}");
    /// <summary>ZP2014: a rest-of-frame field that is not last.</summary>
    public static readonly DiagnosticDescriptor RestNotLast = new("ZP2014", Severity.Error, "Rest-of-frame field not last", "field '{0}' runs to the end of the frame, so it must be the last field of message '{1}'");
    /// <summary>ZP2015: discriminator misuse.</summary>
    public static readonly DiagnosticDescriptor BadDiscriminator = new("ZP2015", Severity.Error, "Bad discriminator", "{0}");
    /// <summary>ZP2016: a construct the protocol's framing cannot carry.</summary>
    public static readonly DiagnosticDescriptor FramingConflict = new("ZP2016", Severity.Error, "Not allowed with this framing", "{0}");
    /// <summary>ZP2017: duplicate or recursive type, enum or define.</summary>
    public static readonly DiagnosticDescriptor DuplicateDeclaration = new("ZP2017", Severity.Error, "Duplicate declaration", "{0} '{1}' is declared twice");
    /// <summary>ZP2018: enum problems.</summary>
    public static readonly DiagnosticDescriptor BadEnum = new("ZP2018", Severity.Error, "Bad enum", "enum '{0}': {1}");
    /// <summary>ZP2019: text-frame section problems.</summary>
    public static readonly DiagnosticDescriptor BadSection = new("ZP2019", Severity.Error, "Bad section", "{0}");
    /// <summary>ZP2020: a protocol with no messages.</summary>
    public static readonly DiagnosticDescriptor NoMessages = new("ZP2020", Severity.Warning, "No messages", "class '{0}' defines no messages");
    /// <summary>ZP2021: two names map to the same C# identifier, or a name maps to none.</summary>
    public static readonly DiagnosticDescriptor NameClash = new("ZP2021", Severity.Error, "Name clash", "{0}");
    /// <summary>ZP2022: a field type not allowed where it is used.</summary>
    public static readonly DiagnosticDescriptor TypeNotAllowed = new("ZP2022", Severity.Error, "Type not allowed here", "field '{0}': {1}");

    /// <summary>ZP2023: a member that would be named like the type that holds it (C# error CS0542).</summary>
    public static readonly DiagnosticDescriptor MemberNamedLikeType = new("ZP2023", Severity.Error, "Member named like its type", "{0} would become '{1}', the name of the type that holds it ({2}); C# does not allow a member named like its enclosing type, so rename it");
    /// <summary>ZP2024: a template's binding expression names nothing in the view it renders.</summary>
    public static readonly DiagnosticDescriptor TemplateBinding = new("ZP2024", Severity.Error, "Unknown name in template", "template '{0}': {1}");
    /// <summary>ZP2025: a template does not compile.</summary>
    public static readonly DiagnosticDescriptor TemplateSyntax = new("ZP2025", Severity.Error, "Template does not compile", "template '{0}': {1}");

    /// <summary>ZP2026: two protocol models of one compilation (or CLI run) with the same class name.</summary>
    public static readonly DiagnosticDescriptor DuplicateProtocolName = new("ZP2026", Severity.Warning, "Duplicate protocol name", "protocol '{0}' has the same name as the protocol in '{1}', which a state machine naming '{0}' speaks (the first by path){2}; rename one of them");
    /// <summary>ZP2040: <c>max_size</c> is not a whole number of octets from 1 to 2,147,483,647.</summary>
    public static readonly DiagnosticDescriptor BadMaxSize = new("ZP2040", Severity.Error, "Bad max_size", "max_size '{0}' must be a whole number of octets from 1 to 2147483647");
    /// <summary>ZP2041: <c>max_size</c> is smaller than the fixed part of a message, which could then never be sent.</summary>
    public static readonly DiagnosticDescriptor MaxSizeTooSmall = new("ZP2041", Severity.Error, "max_size smaller than a message", "max_size {0} is smaller than message '{1}', whose fixed part alone is {2} octets; it could never be sent");
    /// <summary>ZP2050: <c>strings = "utf8"</c> on a text-frames protocol, whose codec keeps <see cref="string"/> values.</summary>
    public static readonly DiagnosticDescriptor Utf8StringsIgnored = new("ZP2050", Severity.Warning, "strings = utf8 ignored", "strings = \"utf8\" applies to the frames and datagram framings; the text-frames codec of '{0}' keeps System.String values");

    /// <summary>ZP9001: an unexpected failure inside the generator.</summary>
    public static readonly DiagnosticDescriptor InternalError = new("ZP9001", Severity.Error, "Internal error", "internal error while processing the model: {0}");

    /// <summary>All descriptors, for documentation checks.</summary>
    public static IReadOnlyList<DiagnosticDescriptor> All { get; } =
    [
        MalformedXml, MalformedYaml, UnknownAttribute, UnknownElement, IncludeNotFound, IncludeCycle, MissingAttribute,
        InvalidAttribute, NotAModel, DuplicateMessageId, DuplicateMessageName, DuplicateFieldName, FieldTypeConflict,
        UnknownType, MsgNotLast, BadNumberSize, BadOctetsSize, StringConstantTooLong, BadConstant, BadSignature,
        BadMessageId, BadBits, RestNotLast, BadDiscriminator, FramingConflict, DuplicateDeclaration, BadEnum, BadSection,
        NoMessages, NameClash, TypeNotAllowed, MemberNamedLikeType, TemplateBinding, TemplateSyntax, DuplicateProtocolName,
        BadMaxSize, MaxSizeTooSmall, Utf8StringsIgnored, InternalError,
    ];
}
